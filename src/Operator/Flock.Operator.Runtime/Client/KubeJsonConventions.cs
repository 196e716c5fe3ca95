using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flock.Operator.Runtime.Client;

/// <summary>
/// The JSON shape the API server expects of any resource: camelCase names, nulls left out (an absent field and a null
/// one mean the same to it), numbers only as numbers, times as metav1.Time writes them. Custom resource types written
/// to these rules round-trip without options of their own.
/// </summary>
public static class KubeJsonConventions
{
    /// <summary>New, still writable options; add converters, then hand them to <see cref="KubeJson"/>.</summary>
    public static JsonSerializerOptions Options()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
            RespectNullableAnnotations = false,
        };
        options.Converters.Add(new MetaV1TimeConverter());
        return options;
    }
}
