using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// Swagger-2.0-style definitions for KubernetesClient model types, built by reflection: property
/// names from [JsonPropertyName], types from the CLR types, descriptions from the package's XML docs,
/// required fields from a table of the well-known ones, x-kubernetes-group-version-kind on kinds and
/// lists. References are <c>{"$ref": "#/definitions/NAME"}</c>.
/// </summary>
public sealed partial class ModelSchemas
{
    private static readonly HashSet<string> MetaTypes = new(StringComparer.Ordinal)
    {
        "V1ObjectMeta", "V1ListMeta", "V1LabelSelector", "V1LabelSelectorRequirement", "V1OwnerReference", "V1ManagedFieldsEntry",
        "V1Condition", "V1Status", "V1StatusDetails", "V1StatusCause", "V1DeleteOptions", "V1Preconditions", "V1APIResource",
        "V1APIResourceList", "V1APIGroup", "V1APIGroupList", "V1APIVersions", "V1GroupVersionForDiscovery",
        "V1ServerAddressByClientCIDR", "V1WatchEvent", "V1FieldSelectorRequirement",
    };

    private static readonly HashSet<string> MicroTimeProperties = new(StringComparer.Ordinal)
    {
        "eventTime", "acquireTime", "renewTime", "lastObservedTime",
    };

    private readonly Dictionary<Type, string> _names = new();
    private readonly Dictionary<string, JsonObject> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _packages = new();

    /// <summary>Builds definitions for the model types of <paramref name="resources"/> (and their List types) and everything they reference.</summary>
    public ModelSchemas(IEnumerable<ApiResource> resources)
    {
        var roots = resources.Where(r => r.ModelType is not null)
            .OrderBy(r => r.Group.Length == 0 ? 0 : 1)
            .ToList();
        AddFixed();
        foreach (var meta in typeof(V1ObjectMeta).Assembly.GetTypes().Where(t => MetaTypes.Contains(t.Name)))
        {
            _packages[meta] = "io.k8s.apimachinery.pkg.apis.meta";
        }

        _packages[typeof(V1PodTemplateSpec)] = "io.k8s.api.core";

        // Assign packages: a type belongs to the group of the first root (core first) that reaches it.
        foreach (var root in roots)
        {
            AssignPackages(root.ModelType!, ModelNames.PackageOf(root.Group));
            if (ListTypeOf(root.ModelType!) is { } listType)
            {
                AssignPackages(listType, ModelNames.PackageOf(root.Group));
            }
        }

        foreach (var meta in typeof(V1ObjectMeta).Assembly.GetTypes().Where(t => MetaTypes.Contains(t.Name)))
        {
            AssignPackages(meta, "io.k8s.apimachinery.pkg.apis.meta");
        }

        foreach (var root in roots)
        {
            var name = Define(root.ModelType!);
            _definitions[name]["x-kubernetes-group-version-kind"] = Gvk(root.Group, root.Version, root.Kind);
            if (ListTypeOf(root.ModelType!) is { } listType)
            {
                var listName = Define(listType);
                _definitions[listName]["x-kubernetes-group-version-kind"] = Gvk(root.Group, root.Version, root.ListKindName);
            }
        }

        foreach (var meta in typeof(V1ObjectMeta).Assembly.GetTypes().Where(t => MetaTypes.Contains(t.Name)))
        {
            Define(meta);
        }

        _definitions[ModelNames.Patch] = new JsonObject
        {
            ["description"] = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body.",
            ["type"] = "object",
        };
        if (_definitions.TryGetValue(ModelNames.Status, out var status))
        {
            status["x-kubernetes-group-version-kind"] = Gvk("", "v1", "Status");
        }
    }

    /// <summary>Every definition, by name.</summary>
    public IReadOnlyDictionary<string, JsonObject> Definitions => _definitions;

    /// <summary>The definition name of a model type, once defined.</summary>
    public string? NameOf(Type type) => _names.GetValueOrDefault(type);

    internal static JsonArray Gvk(string group, string version, string kind) =>
        [new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version }];

    private static Type? ListTypeOf(Type model) =>
        model.Assembly.GetType(model.FullName + "List") is { } list && list.GetProperty("Items") is not null ? list : null;

    private void AddFixed()
    {
        _definitions[ModelNames.Time] = new JsonObject
        {
            ["description"] = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.",
            ["type"] = "string",
            ["format"] = "date-time",
        };
        _definitions[ModelNames.MicroTime] = new JsonObject
        {
            ["description"] = "MicroTime is version of Time with microsecond level precision.",
            ["type"] = "string",
            ["format"] = "date-time",
        };
        _definitions[ModelNames.Quantity] = new JsonObject
        {
            ["description"] = "Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.",
            ["type"] = "string",
        };
        _definitions[ModelNames.IntOrString] = new JsonObject
        {
            ["description"] = "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
            ["type"] = "string",
            ["format"] = "int-or-string",
        };
        _names[typeof(IntOrString)] = ModelNames.IntOrString;
        _names[typeof(ResourceQuantity)] = ModelNames.Quantity;
    }

    private void AssignPackages(Type type, string package)
    {
        if (!IsModel(type) || _names.ContainsKey(type))
        {
            return;
        }

        _packages.TryAdd(type, package);
        if (!_visited.Add(type))
        {
            return;
        }

        var own = _packages[type];
        foreach (var property in Properties(type))
        {
            foreach (var referenced in ModelTypesIn(property.PropertyType))
            {
                AssignPackages(referenced, own);
            }
        }
    }

    private readonly HashSet<Type> _visited = new();

    private string Define(Type type)
    {
        if (_names.TryGetValue(type, out var existing))
        {
            return existing;
        }

        var (version, bare, hint) = ModelNames.Split(type.Name);
        var package = _packages.GetValueOrDefault(type)
            ?? (hint is not null ? ModelNames.PackageOf(hint == "core" ? "" : hint) : "io.k8s.api.core");
        var name = $"{package}.{version}.{bare}";
        _names[type] = name;
        var definition = new JsonObject();
        _definitions[name] = definition;
        if (ModelDocs.ForType(type) is { Length: > 0 } description)
        {
            definition["description"] = description;
        }

        definition["type"] = "object";
        var properties = new JsonObject();
        foreach (var property in Properties(type).OrderBy(p => JsonName(p), StringComparer.Ordinal))
        {
            var schema = SchemaFor(property.PropertyType, JsonName(property));
            if (ModelDocs.ForProperty(property) is { Length: > 0 } propertyDescription)
            {
                schema["description"] = propertyDescription;
            }

            if (PatchStrategyOf(type, property) is var (strategy, key))
            {
                if (key is not null)
                {
                    schema["x-kubernetes-patch-merge-key"] = key;
                }

                schema["x-kubernetes-patch-strategy"] = strategy;
            }

            properties[JsonName(property)] = schema;
        }

        if (properties.Count > 0)
        {
            definition["properties"] = properties;
        }

        if (Required.TryGetValue(type.Name, out var required))
        {
            definition["required"] = DiscoveryDocuments.Strings(required);
        }

        return name;
    }

    private static (string Strategy, string? Key)? PatchStrategyOf(Type owner, PropertyInfo property)
    {
        var name = JsonName(property);
        if (PatchStrategies.TryGetValue((owner.Name, name), out var known))
        {
            return known;
        }

        // Built-in status conditions merge on type (metav1.Condition lists are list-maps instead).
        return name == "conditions" && owner.Name.EndsWith("Status", StringComparison.Ordinal)
            && ElementType(property.PropertyType) is { } element && element != typeof(V1Condition) && element.GetProperty("Type") is not null
            ? ("merge", "type")
            : null;
    }

    private JsonObject SchemaFor(Type type, string propertyName)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (underlying == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (underlying == typeof(int))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int32" };
        }

        if (underlying == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = "int64" };
        }

        if (underlying == typeof(double) || underlying == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset))
        {
            return Ref(MicroTimeProperties.Contains(propertyName) ? ModelNames.MicroTime : ModelNames.Time);
        }

        if (underlying == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }

        if (_names.TryGetValue(underlying, out var fixedName) && !IsModel(underlying))
        {
            return Ref(fixedName);
        }

        if (DictionaryValueType(underlying) is { } valueType)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = SchemaFor(valueType, "") };
        }

        if (ElementType(underlying) is { } elementType)
        {
            return new JsonObject { ["type"] = "array", ["items"] = SchemaFor(elementType, propertyName) };
        }

        if (IsModel(underlying))
        {
            return Ref(Define(underlying));
        }

        // object: free-form JSON (RawExtension, apiextensions JSON).
        return new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    private static JsonObject Ref(string name) => new() { ["$ref"] = "#/definitions/" + name };

    private static bool IsModel(Type type) =>
        type.Namespace == "k8s.Models" && type.IsClass && type != typeof(IntOrString) && type != typeof(ResourceQuantity);

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null);

    private static string JsonName(PropertyInfo property) => property.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;

    private static IEnumerable<Type> ModelTypesIn(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (DictionaryValueType(underlying) is { } value)
        {
            return ModelTypesIn(value);
        }

        if (ElementType(underlying) is { } element)
        {
            return ModelTypesIn(element);
        }

        return IsModel(underlying) ? [underlying] : [];
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var enumerable = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IEnumerable<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable?.GetGenericArguments()[0];
    }
}
