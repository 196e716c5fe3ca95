using System.Text.Json.Nodes;
using k8s.Models;

namespace Flock.Sandbox.Admission;

/// <summary>Builds the <see cref="StructuralSchema"/> tree from a V1JSONSchemaProps, collecting every error before failing.</summary>
internal static class SchemaCompiler
{
    private static readonly string[] Types = ["array", "boolean", "integer", "number", "object", "string"];

    public static StructuralSchema Compile(V1JSONSchemaProps props, FieldPath basePath)
    {
        var errors = new List<FieldError>();
        var root = Build(props, basePath, isRoot: true, uncorrelatable: null, errors);
        if (errors.Count > 0)
        {
            throw new SchemaCompileException(errors);
        }

        return root;
    }

    /// <param name="uncorrelatable">The first array-items path above this node whose items cannot be matched to old items (transition rules are refused below it).</param>
    private static StructuralSchema Build(V1JSONSchemaProps props, FieldPath path, bool isRoot, FieldPath? uncorrelatable, List<FieldError> errors)
    {
        if (props.Type is not null && !Types.Contains(props.Type, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("type").ToString(), JsonValue.Create(props.Type), Types));
        }

        var properties = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        var celNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, child) in props.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
        {
            properties[name] = Build(child, path.Child("properties").Key(name), isRoot: false, uncorrelatable, errors);
            if (CelNames.Escape(name) is { } escaped)
            {
                celNames[escaped] = name;
            }
        }

        var listType = props.XKubernetesListType;
        StructuralSchema? items = null;
        if (props.Items is not null)
        {
            if (ClrJson.ToNode(props.Items) is JsonArray)
            {
                errors.Add(FieldError.Forbidden(path.Child("items").ToString(), "items must be a schema object and not an array"));
            }
            else if (ClrJson.ToSchemaProps(props.Items) is { } itemProps)
            {
                var itemsPath = path.Child("items");
                // Items of sets and atomic lists have no identity across updates, so oldSelf cannot reach them.
                var itemsUncorrelatable = uncorrelatable ?? (listType == "map" ? null : itemsPath);
                items = Build(itemProps, itemsPath, isRoot: false, itemsUncorrelatable, errors);
            }
        }

        var additional = BuildAdditionalProperties(props, path, uncorrelatable, errors);
        var node = new StructuralSchema
        {
            Type = props.Type,
            Nullable = props.Nullable == true,
            Default = ClrJson.ToNode(props.DefaultProperty),
            Properties = properties,
            Required = props.Required?.ToList() ?? [],
            AdditionalProperties = additional,
            Items = items,
            IntOrString = props.XKubernetesIntOrString == true,
            PreserveUnknownFields = props.XKubernetesPreserveUnknownFields == true,
            EmbeddedResource = props.XKubernetesEmbeddedResource == true,
            ListType = listType,
            ListMapKeys = props.XKubernetesListMapKeys?.ToList() ?? [],
            Validations = BuildValidations(props, path, uncorrelatable, errors),
            IsRoot = isRoot,
            SchemaPath = path,
            CelFieldNames = celNames,
        };
        node.Rules = CelRuleCompiler.Compile(props.XKubernetesValidations, node, path, uncorrelatable, errors);
        node.HasRulesInTree = node.Rules.Count > 0 || properties.Values.Any(p => p.HasRulesInTree)
            || items?.HasRulesInTree == true || additional?.HasRulesInTree == true;
        return node;
    }

    private static StructuralSchema? BuildAdditionalProperties(V1JSONSchemaProps props, FieldPath path, FieldPath? uncorrelatable, List<FieldError> errors)
    {
        switch (props.AdditionalProperties)
        {
            case null:
                return null;
            case bool allowed:
                return allowed ? new StructuralSchema { SchemaPath = path.Child("additionalProperties") } : null;
            case System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.True }:
                return new StructuralSchema { SchemaPath = path.Child("additionalProperties") };
            case System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.False }:
                return null;
            default:
                var schema = ClrJson.ToSchemaProps(props.AdditionalProperties);
                return schema is null ? null : Build(schema, path.Child("additionalProperties"), isRoot: false, uncorrelatable, errors);
        }
    }

    private static ValueValidations BuildValidations(V1JSONSchemaProps props, FieldPath path, FieldPath? uncorrelatable, List<FieldError> errors)
    {
        System.Text.RegularExpressions.Regex? regex = null;
        if (!string.IsNullOrEmpty(props.Pattern))
        {
            regex = GoRegex.TryCompile(props.Pattern, out var error);
            if (regex is null)
            {
                errors.Add(FieldError.Invalid(path.Child("pattern").ToString(), JsonValue.Create(props.Pattern),
                    "must be a valid regular expression, but isn't: " + error));
            }
        }

        List<StructuralSchema> Junctor(IList<V1JSONSchemaProps>? list, string name) =>
            list?.Select((s, i) => Build(s, path.Child(name).Index(i), isRoot: false, uncorrelatable, errors)).ToList() ?? [];

        return new ValueValidations
        {
            Enum = props.EnumProperty?.Select(ClrJson.ToNode).ToList(),
            Pattern = string.IsNullOrEmpty(props.Pattern) ? null : props.Pattern,
            PatternRegex = regex,
            MinLength = props.MinLength,
            MaxLength = props.MaxLength,
            MinItems = props.MinItems,
            MaxItems = props.MaxItems,
            UniqueItems = props.UniqueItems == true,
            MinProperties = props.MinProperties,
            MaxProperties = props.MaxProperties,
            Minimum = props.Minimum,
            ExclusiveMinimum = props.ExclusiveMinimum == true,
            Maximum = props.Maximum,
            ExclusiveMaximum = props.ExclusiveMaximum == true,
            MultipleOf = props.MultipleOf,
            Format = string.IsNullOrEmpty(props.Format) ? null : props.Format,
            CheckedStringFormat = StringFormats.Normalize(props.Format),
            AllOf = Junctor(props.AllOf, "allOf"),
            AnyOf = Junctor(props.AnyOf, "anyOf"),
            OneOf = Junctor(props.OneOf, "oneOf"),
            Not = props.Not is null ? null : Build(props.Not, path.Child("not"), isRoot: false, uncorrelatable, errors),
        };
    }
}
