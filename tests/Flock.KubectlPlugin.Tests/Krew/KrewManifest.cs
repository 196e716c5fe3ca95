using YamlDotNet.RepresentationModel;

namespace Flock.KubectlPlugin.Tests.Krew;

/// <summary>
/// A krew Plugin manifest, the fields krew reads (its Go types are in kubernetes-sigs/krew, pkg/index/types.go).
/// An absent field is null and an empty one is empty, because krew tells `files: []` from no `files` at all.
/// </summary>
internal sealed record KrewPlugin(
    string? ApiVersion,
    string? Kind,
    string? Name,
    string? Version,
    string? Homepage,
    string? ShortDescription,
    string? Description,
    IReadOnlyList<KrewPlatform>? Platforms);

/// <summary>One spec.platforms entry: where to download for which os/arch, and what to install from the archive.</summary>
internal sealed record KrewPlatform(string? Uri, string? Sha256, string? Bin, IReadOnlyList<KrewFileOperation>? Files, KrewSelector? Selector);

internal sealed record KrewFileOperation(string? From, string? To);

/// <summary>A Kubernetes label selector over the labels os and arch.</summary>
internal sealed record KrewSelector(IReadOnlyDictionary<string, string>? MatchLabels, IReadOnlyList<KrewRequirement>? MatchExpressions);

internal sealed record KrewRequirement(string? Key, string? Operator, IReadOnlyList<string> Values);

/// <summary>Reads a manifest's YAML into <see cref="KrewPlugin"/>.</summary>
internal static class KrewManifest
{
    public static KrewPlugin Parse(string yaml) => FromNode(Load(yaml));

    /// <summary>The manifest's root mapping, to read or to change before <see cref="FromNode"/>.</summary>
    public static YamlMappingNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    public static KrewPlugin FromNode(YamlMappingNode root)
    {
        var spec = Child(root, "spec");
        return new KrewPlugin(
            Text(root, "apiVersion"),
            Text(root, "kind"),
            Text(Child(root, "metadata"), "name"),
            Text(spec, "version"),
            Text(spec, "homepage"),
            Text(spec, "shortDescription"),
            Text(spec, "description"),
            List(spec, "platforms", Platform));
    }

    private static KrewPlatform Platform(YamlNode node) => new(
        Text(node, "uri"),
        Text(node, "sha256"),
        Text(node, "bin"),
        List(node, "files", file => new KrewFileOperation(Text(file, "from"), Text(file, "to"))),
        Child(node, "selector") is { } selector
            ? new KrewSelector(Map(selector, "matchLabels"), List(selector, "matchExpressions", Requirement))
            : null);

    private static KrewRequirement Requirement(YamlNode node) =>
        new(Text(node, "key"), Text(node, "operator"), List(node, "values", value => ((YamlScalarNode)value).Value ?? "") ?? []);

    private static YamlMappingNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child as YamlMappingNode : null;

    /// <summary>A scalar; YAML's null (`key:` or `key: ~`) reads as absent, as Go's decoder leaves the zero value.</summary>
    private static string? Text(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar && !IsNull(scalar)
            ? scalar.Value
            : null;

    private static List<T>? List<T>(YamlNode? node, string key, Func<YamlNode, T> read) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children.Select(read).ToList()
            : null;

    private static Dictionary<string, string>? Map(YamlNode? node, string key) =>
        Child(node, key) is { } map
            ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => (e.Value as YamlScalarNode)?.Value ?? "")
            : null;

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "" or "~" or "null" or "Null" or "NULL";
}
