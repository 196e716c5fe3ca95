using YamlDotNet.RepresentationModel;

namespace Flock.Chart.Tests;

/// <summary>The Kubernetes objects of a multi-document YAML stream (the output of `helm template` or `kubectl kustomize`).</summary>
internal sealed class RenderedManifest
{
    private RenderedManifest(IReadOnlyList<YamlMappingNode> objects) => Objects = objects;

    public IReadOnlyList<YamlMappingNode> Objects { get; }

    public static RenderedManifest Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = stream.Documents
            .Select(document => document.RootNode)
            .OfType<YamlMappingNode>()
            .Where(node => node.Children.Count > 0)
            .ToList();
        return new RenderedManifest(objects);
    }

    public IReadOnlyList<YamlMappingNode> OfKind(string kind) =>
        Objects.Where(o => o.Text("kind") == kind).ToList();

    /// <summary>The one object of a kind; fails when there are none or several.</summary>
    public YamlMappingNode Single(string kind)
    {
        var matches = OfKind(kind);
        return matches.Count == 1 ? matches[0] : throw new InvalidOperationException($"expected one {kind}, found {matches.Count}: {Describe()}");
    }

    /// <summary>The one object of a kind with this name (and namespace, when given).</summary>
    public YamlMappingNode Single(string kind, string name, string? inNamespace = null)
    {
        var matches = OfKind(kind)
            .Where(o => o.Text("metadata", "name") == name && (inNamespace is null || o.Text("metadata", "namespace") == inNamespace))
            .ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"expected one {kind} {inNamespace}/{name}, found {matches.Count}: {Describe()}");
    }

    /// <summary>"Kind namespace/name" of every object, for failure messages.</summary>
    public string Describe() =>
        string.Join(", ", Objects.Select(o => $"{o.Text("kind")} {o.Text("metadata", "namespace")}/{o.Text("metadata", "name")}"));
}
