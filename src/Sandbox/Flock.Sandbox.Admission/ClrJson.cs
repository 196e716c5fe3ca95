using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Turns the loosely typed members of <see cref="k8s.Models.V1JSONSchemaProps"/> (default, enum, items,
/// additionalProperties) into JSON, whichever way the CRD was read: JSON gives JsonElement, YAML gives
/// dictionaries, lists and typed scalars, code gives schema objects.
/// </summary>
internal static class ClrJson
{
    public static JsonNode? ToNode(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonNode node:
                return node.DeepClone();
            case JsonElement element:
                return element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : JsonNode.Parse(element.GetRawText());
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case char c:
                return JsonValue.Create(c.ToString());
            case sbyte or byte or short or ushort or int or uint or long:
                return JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture));
            case ulong ul:
                return ul <= long.MaxValue ? JsonValue.Create((long)ul) : JsonValue.Create((double)ul);
            case float or double or decimal:
                // kubectl sends YAML as JSON written by Go, which prints an integral float64 without a fraction,
                // so the apiserver decodes it back as an integer.
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                return Math.Abs(d) < 1e18 && Math.Floor(d) == d ? JsonValue.Create((long)d) : JsonValue.Create(d);
            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty] = ToNode(entry.Value);
                }

                return obj;
            case IEnumerable list:
                var array = new JsonArray();
                foreach (var item in list)
                {
                    array.Add(ToNode(item));
                }

                return array;
            default:
                // Model objects (V1JSONSchemaProps) serialize with the client's own converters.
                return JsonNode.Parse(KubernetesJson.Serialize(value));
        }
    }

    public static k8s.Models.V1JSONSchemaProps? ToSchemaProps(object? value) => value switch
    {
        null => null,
        k8s.Models.V1JSONSchemaProps props => props,
        _ => ToNode(value) is JsonObject obj ? KubernetesJson.Deserialize<k8s.Models.V1JSONSchemaProps>(obj.ToJsonString()) : null,
    };
}
