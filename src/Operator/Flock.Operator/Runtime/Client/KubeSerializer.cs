using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds;
using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Client;

/// <summary>
/// JSON for API objects: the client library's own options for its models (they need its converters
/// for quantities, int-or-string and times), ours for the FLock custom resources.
/// </summary>
public static class KubeSerializer
{
    private static readonly System.Reflection.Assembly ModelAssembly = typeof(V1Pod).Assembly;

    /// <summary>Serialises by the value's runtime type, so a status held as its base record keeps every field.</summary>
    public static string Serialize<T>(T value) =>
        IsModel(typeof(T)) ? KubernetesJson.Serialize(value) : JsonSerializer.Serialize(value, value?.GetType() ?? typeof(T), FlockJson.Options);

    public static T Deserialize<T>(string json) =>
        (IsModel(typeof(T)) ? KubernetesJson.Deserialize<T>(json) : JsonSerializer.Deserialize<T>(json, FlockJson.Options))
        ?? throw new JsonException($"null {typeof(T).Name}");

    public static T Deserialize<T>(JsonNode node) => Deserialize<T>(node.ToJsonString());

    public static JsonNode ToNode<T>(T value) => JsonNode.Parse(Serialize(value))!;

    private static bool IsModel(Type type) => type.Assembly == ModelAssembly;
}
