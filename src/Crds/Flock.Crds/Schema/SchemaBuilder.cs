using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Flock.Crds.Schema;

/// <summary>
/// Turns the C# API types into a structural OpenAPI v3 schema: one pass over the properties, reading
/// the schema attributes and the XML doc summaries. Every field must have a description, so a type
/// that lacks one fails the build of the CRDs instead of shipping a silent <c>kubectl explain</c>.
/// </summary>
public sealed class SchemaBuilder(XmlDocumentation docs)
{
    private static readonly JsonNamingPolicy Naming = JsonNamingPolicy.CamelCase;

    /// <summary>The schema of a property's value, with the property's own attributes applied.</summary>
    public V1JSONSchemaProps ForProperty(PropertyInfo property)
    {
        var schema = ForType(property.PropertyType, property);
        schema.Description = docs.Property(property) ?? schema.Description
            ?? throw new InvalidOperationException($"{property.DeclaringType!.Name}.{property.Name} has no XML doc summary");
        ApplyAttributes(schema, property);
        return schema;
    }

    /// <summary>The schema of a type: scalar, enum, list, map or object.</summary>
    public V1JSONSchemaProps ForType(Type type, PropertyInfo? owner = null)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (owner?.GetCustomAttribute<QuantityAttribute>() is not null)
        {
            return new V1JSONSchemaProps
            {
                AnyOf = [new V1JSONSchemaProps { Type = "integer" }, new V1JSONSchemaProps { Type = "string" }],
                Pattern = V1Alpha1.Patterns.Quantity,
                XKubernetesIntOrString = true,
            };
        }

        if (type == typeof(string)) return new V1JSONSchemaProps { Type = "string" };
        if (type == typeof(bool)) return new V1JSONSchemaProps { Type = "boolean" };
        if (type == typeof(int)) return new V1JSONSchemaProps { Type = "integer", Format = "int32" };
        if (type == typeof(long)) return new V1JSONSchemaProps { Type = "integer", Format = "int64" };
        if (type == typeof(double)) return new V1JSONSchemaProps { Type = "number", Format = "double" };
        if (type == typeof(DateTimeOffset)) return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        if (type.IsEnum) return ForEnum(type);

        // metadata is validated by the apiserver itself; a CRD declares it as a bare object.
        if (type == typeof(V1ObjectMeta)) return new V1JSONSchemaProps { Type = "object" };

        if (ElementTypeOfMap(type) is { } valueType)
        {
            var values = ForType(valueType);
            ApplyItems(values, owner);
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = values };
        }

        if (ElementTypeOfList(type) is { } itemType)
        {
            var items = ForType(itemType);
            ApplyItems(items, owner);
            return new V1JSONSchemaProps { Type = "array", Items = items };
        }

        if (type.IsClass && type.Namespace?.StartsWith("Flock.Crds", StringComparison.Ordinal) == true)
        {
            return ForObject(type);
        }

        throw new NotSupportedException($"no schema mapping for {type.FullName} ({owner?.DeclaringType?.Name}.{owner?.Name})");
    }

    private V1JSONSchemaProps ForObject(Type type)
    {
        var properties = new SortedDictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in SerializedProperties(type))
        {
            var name = JsonName(property);
            properties[name] = ForProperty(property);
            if (property.GetCustomAttribute<RequiredAttribute>() is not null) required.Add(name);
        }

        var schema = new V1JSONSchemaProps
        {
            Type = "object",
            Description = docs.Type(type),
            Properties = new Dictionary<string, V1JSONSchemaProps>(properties),
            Required = required.Count > 0 ? required.ToList() : null,
        };
        AddRules(schema, type.GetCustomAttributes<CelRuleAttribute>(inherit: true));
        return schema;
    }

    private V1JSONSchemaProps ForEnum(Type type)
    {
        var names = new List<object>();
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            names.Add(field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name);
        }

        return new V1JSONSchemaProps { Type = "string", EnumProperty = names, Description = docs.Type(type) };
    }

    private static void ApplyAttributes(V1JSONSchemaProps schema, PropertyInfo property)
    {
        if (property.GetCustomAttribute<DefaultAttribute>() is { } defaultValue)
        {
            schema.DefaultProperty = PlainValue(JsonNode.Parse(defaultValue.Json));
        }

        if (property.GetCustomAttribute<PatternAttribute>() is { } pattern) schema.Pattern = pattern.Pattern;
        if (property.GetCustomAttribute<FormatAttribute>() is { } format) schema.Format = format.Format;
        if (property.GetCustomAttribute<RangeAttribute>() is { } range)
        {
            schema.Minimum = range.Minimum;
            schema.Maximum = range.Maximum;
        }

        if (property.GetCustomAttribute<LengthAttribute>() is { } length)
        {
            switch (schema.Type)
            {
                case "string":
                    schema.MinLength = length.Minimum > 0 ? length.Minimum : null;
                    schema.MaxLength = length.Maximum;
                    break;
                case "array":
                    schema.MinItems = length.Minimum > 0 ? length.Minimum : null;
                    schema.MaxItems = length.Maximum;
                    break;
                case "object":
                    schema.MinProperties = length.Minimum > 0 ? length.Minimum : null;
                    schema.MaxProperties = length.Maximum;
                    break;
                default:
                    throw new InvalidOperationException($"{property.Name}: Length applies to strings, lists and maps");
            }
        }

        if (property.GetCustomAttribute<ListTypeAttribute>() is { } listType)
        {
            schema.XKubernetesListType = listType.Type;
            schema.XKubernetesListMapKeys = listType.MapKeys.Count > 0 ? listType.MapKeys.ToList() : null;
        }

        AddRules(schema, property.GetCustomAttributes<CelRuleAttribute>());
    }

    private static void ApplyItems(V1JSONSchemaProps items, PropertyInfo? owner)
    {
        if (owner?.GetCustomAttribute<ItemsAttribute>() is { } rule)
        {
            items.Pattern = rule.Pattern;
            items.MaxLength = rule.MaxLength;
        }
    }

    private static void AddRules(V1JSONSchemaProps schema, IEnumerable<CelRuleAttribute> rules)
    {
        var list = rules.Select(r => new V1ValidationRule
        {
            Rule = r.Rule,
            Message = r.Message,
            FieldPath = r.FieldPath,
            Reason = r.Reason,
        }).ToList();
        if (list.Count > 0) schema.XKubernetesValidations = list;
    }

    /// <summary>The properties System.Text.Json writes, base type's first, in declaration order.</summary>
    public static IEnumerable<PropertyInfo> SerializedProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is not null && p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract");

    public static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? Naming.ConvertName(property.Name);

    private static Type? ElementTypeOfList(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
        && (d == typeof(IReadOnlyList<>) || d == typeof(IList<>) || d == typeof(List<>))
            ? type.GetGenericArguments()[0]
            : null;

    private static Type? ElementTypeOfMap(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() is var d
        && (d == typeof(IReadOnlyDictionary<,>) || d == typeof(IDictionary<,>) || d == typeof(Dictionary<,>))
        && type.GetGenericArguments()[0] == typeof(string)
            ? type.GetGenericArguments()[1]
            : null;

    // A default as plain CLR values, which both the JSON and the YAML writers serialise as they are.
    private static object? PlainValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => PlainValue(p.Value)),
        JsonArray a => a.Select(PlainValue).ToList(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v => v.GetValue<double>(),
        _ => throw new NotSupportedException(node.ToJsonString()),
    };
}
