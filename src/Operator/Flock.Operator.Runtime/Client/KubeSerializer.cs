using System.Text.Json.Nodes;

namespace Flock.Operator.Runtime.Client;

/// <summary>
/// <see cref="KubeJson.Default"/> for code with no client at hand (comparing and copying objects, hashing a spec).
/// Custom resources written to the Kubernetes conventions come out the same as through any client's
/// <see cref="KubeRestClient.Json"/>; a client with converters of its own is the place to serialise what needs them.
/// </summary>
public static class KubeSerializer
{
    public static string Serialize<T>(T value) => KubeJson.Default.Serialize(value);

    public static T Deserialize<T>(string json) => KubeJson.Default.Deserialize<T>(json);

    public static T Deserialize<T>(JsonNode node) => KubeJson.Default.Deserialize<T>(node);

    public static JsonNode ToNode<T>(T value) => KubeJson.Default.ToNode(value);
}
