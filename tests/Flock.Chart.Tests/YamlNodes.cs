using YamlDotNet.RepresentationModel;

namespace Flock.Chart.Tests;

/// <summary>Small readers over YamlDotNet's node tree; a missing key gives null, never an exception.</summary>
internal static class YamlNodes
{
    /// <summary>The node at a path of mapping keys, or null when any step is missing.</summary>
    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node)) return null;
        }

        return node;
    }

    /// <summary>The scalar text at a path, or null.</summary>
    public static string? Text(this YamlNode? node, params string[] path) => (node.At(path) as YamlScalarNode)?.Value;

    /// <summary>The items of the sequence at a path; empty when there is none.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>The scalar items of the sequence at a path.</summary>
    public static IReadOnlyList<string> Texts(this YamlNode? node, params string[] path) =>
        node.Items(path).Select(item => (item as YamlScalarNode)?.Value ?? throw new InvalidOperationException($"not a scalar: {item}")).ToList();

    /// <summary>The string-to-string mapping at a path (labels, annotations, selectors); empty when there is none.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode? node, params string[] path) =>
        node.At(path) is YamlMappingNode map
            ? map.Children.ToDictionary(entry => ((YamlScalarNode)entry.Key).Value!, entry => (entry.Value as YamlScalarNode)?.Value ?? "")
            : new Dictionary<string, string>();

    /// <summary>Every scalar anywhere under a node.</summary>
    public static IEnumerable<string> AllScalars(this YamlNode node) =>
        node.AllNodes.OfType<YamlScalarNode>().Select(scalar => scalar.Value ?? "");
}
