using System.Reflection;
using System.Text;
using System.Xml;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// Descriptions of the KubernetesClient model types and properties, read from the package's
/// KubernetesClient.xml (next to the assembly when CopyDocumentationFilesFromPackages is on, else
/// from the NuGet cache). Empty when neither is found.
/// </summary>
public static class ModelDocs
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Docs = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>True when the documentation file was found.</summary>
    public static bool Available => Docs.Value.Count > 0;

    /// <summary>The description of a model type, or null.</summary>
    public static string? ForType(Type type) => Docs.Value.GetValueOrDefault("T:" + type.FullName);

    /// <summary>The description of a model property, or null.</summary>
    public static string? ForProperty(PropertyInfo property) =>
        Docs.Value.GetValueOrDefault($"P:{property.DeclaringType?.FullName}.{property.Name}");

    private static IReadOnlyDictionary<string, string> Load()
    {
        var path = Candidates().FirstOrDefault(File.Exists);
        if (path is null)
        {
            return new Dictionary<string, string>();
        }

        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, DtdProcessing = DtdProcessing.Ignore });
        string? member = null;
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (reader.Name == "member")
            {
                var name = reader.GetAttribute("name");
                member = name is not null && (name.StartsWith("T:k8s.Models.", StringComparison.Ordinal) || name.StartsWith("P:k8s.Models.", StringComparison.Ordinal))
                    ? name
                    : null;
            }
            else if (reader.Name == "summary" && member is not null)
            {
                docs[member] = Normalize(reader.ReadInnerXml());
                member = null;
            }
        }

        return docs;
    }

    /// <summary>Undoes the generator's line wrapping: single line breaks become spaces, blank lines paragraph breaks.</summary>
    private static string Normalize(string xml)
    {
        var text = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(xml, "<[^>]+>", ""));
        var result = new StringBuilder();
        var pendingBreak = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                pendingBreak = result.Length > 0;
                continue;
            }

            if (result.Length > 0)
            {
                result.Append(pendingBreak ? "\n\n" : " ");
            }

            result.Append(line);
            pendingBreak = false;
        }

        return result.ToString();
    }

    private static IEnumerable<string> Candidates()
    {
        var assembly = typeof(k8s.Models.V1Pod).Assembly;
        if (!string.IsNullOrEmpty(assembly.Location))
        {
            yield return Path.ChangeExtension(assembly.Location, ".xml");
        }

        yield return Path.Combine(AppContext.BaseDirectory, "KubernetesClient.xml");
        var roots = new List<string>();
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages)
        {
            roots.Add(packages);
        }

        roots.Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];
        foreach (var root in roots)
        {
            var package = Path.Combine(root, "kubernetesclient");
            if (!Directory.Exists(package))
            {
                continue;
            }

            var versions = Directory.GetDirectories(package)
                .OrderByDescending(d => Path.GetFileName(d) == version)
                .ThenByDescending(d => d, StringComparer.Ordinal);
            foreach (var dir in versions)
            {
                foreach (var tfm in new[] { "net10.0", "net9.0", "net8.0" })
                {
                    yield return Path.Combine(dir, "lib", tfm, "KubernetesClient.xml");
                }
            }
        }
    }
}
