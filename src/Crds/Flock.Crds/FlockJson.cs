using System.Text.Json;
using System.Text.Json.Serialization;
using Flock.Crds.V1Alpha1;

namespace Flock.Crds;

/// <summary>
/// The JSON form of the API types: camelCase names (as the schema has them), nulls left out (an
/// absent field and a null one mean the same to the apiserver), times as metav1.Time writes them.
/// </summary>
public static class FlockJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = false,
        };
        options.Converters.Add(new Rfc3339TimeConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
