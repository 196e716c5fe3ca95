using System.Text.Json.Nodes;
using k8s.Models;

namespace Flock.Sandbox.Admission;

/// <summary>
/// A CRD version's openAPIV3Schema compiled once into the structural form the apiserver works with:
/// patterns and CEL rules are compiled up front, so admission only walks data.
/// </summary>
public sealed class StructuralSchema
{
    internal StructuralSchema()
    {
    }

    /// <summary>object, array, string, integer, number, boolean, or null (int-or-string, preserve-unknown-fields).</summary>
    public string? Type { get; internal init; }

    public bool Nullable { get; internal init; }

    /// <summary>The default value as decoded JSON, or null when there is none.</summary>
    public JsonNode? Default { get; internal init; }

    /// <summary>Declared properties in schema order.</summary>
    public IReadOnlyDictionary<string, StructuralSchema> Properties { get; internal init; } = new Dictionary<string, StructuralSchema>();

    public IReadOnlyList<string> Required { get; internal init; } = [];

    /// <summary>The schema of map values; an empty schema for <c>additionalProperties: true</c>.</summary>
    public StructuralSchema? AdditionalProperties { get; internal init; }

    public StructuralSchema? Items { get; internal init; }

    public bool IntOrString { get; internal init; }

    public bool PreserveUnknownFields { get; internal init; }

    public bool EmbeddedResource { get; internal init; }

    /// <summary>atomic, set or map (arrays only); null means atomic.</summary>
    public string? ListType { get; internal init; }

    public IReadOnlyList<string> ListMapKeys { get; internal init; } = [];

    public ValueValidations Validations { get; internal init; } = ValueValidations.None;

    /// <summary>x-kubernetes-validations, compiled.</summary>
    public IReadOnlyList<CelRule> Rules { get; internal set; } = [];

    /// <summary>Whether this node or any node below it has x-kubernetes-validations (the apiserver only runs CEL then).</summary>
    public bool HasRulesInTree { get; internal set; }

    /// <summary>The resource root: apiVersion, kind and metadata are always kept and metadata is not pruned.</summary>
    public bool IsRoot { get; internal init; }

    /// <summary>Where this node sits in the CRD ("openAPIV3Schema.properties[spec]"), for compile errors.</summary>
    public FieldPath SchemaPath { get; internal init; } = FieldPath.Root;

    /// <summary>CEL field names of the properties (escaped like the apiserver: "x-y" is "x__dash__y") to property names.</summary>
    public IReadOnlyDictionary<string, string> CelFieldNames { get; internal init; } = new Dictionary<string, string>();

    /// <summary>True when the node is a map (additionalProperties) rather than an object with fixed fields.</summary>
    public bool IsMap => AdditionalProperties is not null;

    /// <summary>
    /// Compiles <paramref name="schema"/>; throws <see cref="SchemaCompileException"/> listing every invalid
    /// pattern, CEL rule, fieldPath or reason with its path under <paramref name="basePath"/> (default "openAPIV3Schema").
    /// </summary>
    public static StructuralSchema Compile(V1JSONSchemaProps schema, FieldPath? basePath = null) =>
        SchemaCompiler.Compile(schema, basePath ?? FieldPath.Of("openAPIV3Schema"));

    /// <summary>Fills absent (or non-nullable null) fields that have a default, recursively (structural defaulting).</summary>
    public void ApplyDefaults(JsonObject obj) => SchemaDefaulter.Default(obj, this);

    /// <summary>Drops fields the schema does not know; returns their paths ("spec.foo", "spec.env[0].bar"), sorted.</summary>
    public IReadOnlyList<string> Prune(JsonObject obj, bool isRoot = true) => SchemaPruner.Prune(obj, this, isRoot);

    /// <summary>Drops null values of non-nullable fields that have no default (the apiserver does this right after pruning).</summary>
    public void PruneNonNullableNulls(JsonObject obj) => SchemaPruner.PruneNonNullableNullsWithoutDefaults(obj, this);

    /// <summary>Every schema, list-type and CEL check; pass <paramref name="oldObj"/> on update.</summary>
    public IReadOnlyList<FieldError> Validate(JsonObject obj, JsonObject? oldObj = null) =>
        ValidateWithWarnings(obj, oldObj).Errors;

    /// <summary>Like <see cref="Validate"/>, also returning the warnings of ratcheted CEL rules.</summary>
    public ValidationResult ValidateWithWarnings(JsonObject obj, JsonObject? oldObj = null, ValidationOptions? options = null) =>
        CustomResourceValidator.Validate(this, obj, oldObj, options ?? ValidationOptions.Default);
}
