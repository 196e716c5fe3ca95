using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Client;

/// <summary>
/// JSON for API objects: the client library's own serializer for its models (they need its converters for
/// quantities, int-or-string and times), and the options given here for every other type (custom resources).
/// An application whose resources need converters of their own builds one with its options and hands it to its
/// <see cref="KubeRestClient"/>; the instance is immutable, so nothing changes under a running client.
/// </summary>
public sealed class KubeJson
{
    private static readonly System.Reflection.Assembly ModelAssembly = typeof(V1Pod).Assembly;
    private readonly JsonSerializerOptions _options;

    public KubeJson(JsonSerializerOptions customResourceOptions)
    {
        // A copy frozen here: options the caller still holds could otherwise change what this instance writes.
        _options = customResourceOptions.IsReadOnly ? customResourceOptions : new JsonSerializerOptions(customResourceOptions);
        _options.MakeReadOnly(populateMissingResolver: true);
    }

    /// <summary>The Kubernetes API conventions alone (<see cref="KubeJsonConventions"/>).</summary>
    public static KubeJson Default { get; } = new(KubeJsonConventions.Options());

    /// <summary>The options used for types that are not the client library's models.</summary>
    public JsonSerializerOptions CustomResourceOptions => _options;

    /// <summary>Serialises by the value's runtime type, so a status held as its base record keeps every field.</summary>
    public string Serialize<T>(T value) =>
        IsModel(typeof(T)) ? KubernetesJson.Serialize(value) : JsonSerializer.Serialize(value, value?.GetType() ?? typeof(T), _options);

    public T Deserialize<T>(string json) =>
        (IsModel(typeof(T)) ? KubernetesJson.Deserialize<T>(json) : JsonSerializer.Deserialize<T>(json, _options))
        ?? throw new JsonException($"null {typeof(T).Name}");

    public T Deserialize<T>(JsonNode node) => Deserialize<T>(node.ToJsonString());

    public JsonNode ToNode<T>(T value) => JsonNode.Parse(Serialize(value))!;

    private static bool IsModel(Type type) => type.Assembly == ModelAssembly;
}
