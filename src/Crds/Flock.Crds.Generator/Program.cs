using Flock.Crds.Schema;

// Writes the CRD YAML generated from the C# API types into each directory given (or the repository's
// two default places), or with --check exits 1 when a committed file differs from a fresh generation.
// The API reference is rendered from the same CRDs and written (or checked) as the repository's
// docs/reference.md with the default places, or when --docs is given with explicit directories;
// --docs=FILE writes it to FILE instead.
var check = args.Contains("--check");
string? docs = null;
var docsDefault = false;
var targets = new List<string>();
foreach (var arg in args)
{
    if (arg == "--check") continue;
    if (arg == "--docs") docsDefault = true;
    else if (arg.StartsWith("--docs=", StringComparison.Ordinal)) docs = arg["--docs=".Length..];
    else targets.Add(arg);
}

if (targets.Count == 0 || (docsDefault && docs is null))
{
    var root = FindRepositoryRoot(AppContext.BaseDirectory);
    if (targets.Count == 0) targets = [Path.Combine(root, "config", "crd", "bases"), Path.Combine(root, "deploy", "helm", "flock-operator", "crds")];
    docs ??= Path.Combine(root, ReferenceMarkdown.RelativePath);
}

var rendered = CrdYaml.RenderAll();
var drift = 0;
foreach (var dir in targets)
{
    Directory.CreateDirectory(dir);
    foreach (var (name, yaml) in rendered)
    {
        Write(Path.Combine(dir, name), yaml);
    }
}

if (docs is not null)
{
    var directory = Path.GetDirectoryName(Path.GetFullPath(docs));
    if (directory is not null) Directory.CreateDirectory(directory);
    Write(docs, ReferenceMarkdown.Render());
}

return drift == 0 ? 0 : 1;

void Write(string path, string content)
{
    var current = File.Exists(path) ? File.ReadAllText(path) : null;
    if (current == content) return;
    if (check)
    {
        Console.Error.WriteLine($"out of date: {path} (run `make crds`)");
        drift++;
        return;
    }

    File.WriteAllText(path, content);
    Console.WriteLine($"wrote {path}");
}

static string FindRepositoryRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
    }

    throw new InvalidOperationException($"no Operator.sln above {start}; pass the output directories");
}
