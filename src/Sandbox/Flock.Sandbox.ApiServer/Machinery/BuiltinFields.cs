using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// Unknown-field detection for built-in kinds, from the KubernetesClient model's JSON properties:
/// what the apiserver's strict decoder reports (<c>unknown field "spec.foo"</c>) and what its
/// decoding silently drops otherwise.
/// </summary>
internal static class BuiltinFields
{
    private static readonly ConcurrentDictionary<Type, Dictionary<string, Type>?> Cache = new();

    /// <summary>Removes fields the model does not know and returns their paths.</summary>
    public static List<string> Prune(Type model, JsonObject obj)
    {
        var unknown = new List<string>();
        Walk(model, obj, "", unknown);
        return unknown;
    }

    private static Dictionary<string, Type>? PropertiesOf(Type t) => Cache.GetOrAdd(t, static type =>
    {
        if (type.Namespace != "k8s.Models" || type.IsEnum) return null;
        var props = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal);
        return props.Count == 0 ? null : props;
    });

    private static void Walk(Type model, JsonNode? node, string path, List<string> unknown)
    {
        model = Nullable.GetUnderlyingType(model) ?? model;
        if (node is JsonArray arr && ElementType(model) is { } element)
        {
            for (var i = 0; i < arr.Count; i++) Walk(element, arr[i], $"{path}[{i}]", unknown);
            return;
        }

        if (node is not JsonObject obj) return;
        if (DictionaryValueType(model) is { } valueType)
        {
            foreach (var (k, v) in obj) Walk(valueType, v, $"{path}.{k}", unknown);
            return;
        }

        var props = PropertiesOf(model);
        if (props is null) return;
        foreach (var (k, v) in obj.ToList())
        {
            var childPath = path.Length == 0 ? k : $"{path}.{k}";
            if (!props.TryGetValue(k, out var childType))
            {
                unknown.Add(childPath);
                obj.Remove(k);
                continue;
            }

            Walk(childType, v, childPath, unknown);
        }
    }

    private static Type? ElementType(Type t)
    {
        if (t.IsArray) return t.GetElementType();
        if (!t.IsGenericType) return null;
        var def = t.GetGenericTypeDefinition();
        return def == typeof(IList<>) || def == typeof(List<>) || def == typeof(IEnumerable<>) || def == typeof(ICollection<>) || def == typeof(IReadOnlyList<>)
            ? t.GetGenericArguments()[0]
            : null;
    }

    private static Type? DictionaryValueType(Type t)
    {
        if (!t.IsGenericType) return null;
        var def = t.GetGenericTypeDefinition();
        return def == typeof(IDictionary<,>) || def == typeof(Dictionary<,>) || def == typeof(IReadOnlyDictionary<,>)
            ? t.GetGenericArguments()[1]
            : null;
    }
}
