using k8s;
using k8s.Models;

namespace Flock.Crds.Tests;

internal static class SchemaNodes
{
    /// <summary>
    /// items and additionalProperties are typed object in the client model (they may also be a bool or a
    /// list in OpenAPI), so after YAML parsing they arrive as generic values; read them back as a schema.
    /// </summary>
    public static V1JSONSchemaProps AsSchema(object value) =>
        value as V1JSONSchemaProps ?? KubernetesJson.Deserialize<V1JSONSchemaProps>(KubernetesJson.Serialize(value));
}
