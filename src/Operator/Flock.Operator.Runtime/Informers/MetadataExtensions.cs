using k8s.Models;

namespace Flock.Operator.Runtime.Informers;

public static class MetadataExtensions
{
    /// <summary>A label's value, or null (the client model exposes labels as IDictionary, which has no GetValueOrDefault).</summary>
    public static string? Label(this V1ObjectMeta metadata, string key) =>
        metadata.Labels is { } labels && labels.TryGetValue(key, out var value) ? value : null;

    public static string? Annotation(this V1ObjectMeta metadata, string key) =>
        metadata.Annotations is { } annotations && annotations.TryGetValue(key, out var value) ? value : null;
}
