using Flock.Crds.Schema;

// Writes the CRD YAML generated from the C# API types into each directory given (or the repository's
// two default places), or with --check exits 1 when a committed file differs from a fresh generation.
var check = args.Contains("--check");
var targets = args.Where(a => a != "--check").ToList();
if (targets.Count == 0)
{
    var root = FindRepositoryRoot(AppContext.BaseDirectory);
    targets = [Path.Combine(root, "config", "crd", "bases"), Path.Combine(root, "deploy", "helm", "flock-operator", "crds")];
}

var rendered = CrdYaml.RenderAll();
var drift = 0;
foreach (var dir in targets)
{
    Directory.CreateDirectory(dir);
    foreach (var (name, yaml) in rendered)
    {
        var path = Path.Combine(dir, name);
        var current = File.Exists(path) ? File.ReadAllText(path) : null;
        if (current == yaml) continue;
        if (check)
        {
            Console.Error.WriteLine($"out of date: {path} (run `make crds`)");
            drift++;
            continue;
        }

        File.WriteAllText(path, yaml);
        Console.WriteLine($"wrote {path}");
    }
}

return drift == 0 ? 0 : 1;

static string FindRepositoryRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
    }

    throw new InvalidOperationException($"no Operator.sln above {start}; pass the output directories");
}
