using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flock.Sandbox.Admission;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Sandbox.ApiServer.Seams;

/// <summary>The outcome of admitting a custom resource against its CRD schema.</summary>
internal sealed record CrAdmissionResult(JsonObject? InvalidStatus, IReadOnlyList<string> UnknownFields, IReadOnlyList<string> Warnings);

/// <summary>
/// Structural-schema admission of custom resources with Flock.Sandbox.Admission: prune (the pruned
/// paths are the unknown fields fieldValidation reports), drop non-nullable nulls, default, validate
/// (OpenAPI and CEL, with the old object on update).
/// </summary>
internal static class CrAdmission
{
    private static readonly ConditionalWeakTable<ApiResource, StrongBox<StructuralSchema?>> Schemas = new();

    private static StructuralSchema? SchemaFor(ApiResource r) => Schemas.GetValue(r, static res =>
    {
        if (res.Schema is null) return new StrongBox<StructuralSchema?>(null);
        try
        {
            return new StrongBox<StructuralSchema?>(StructuralSchema.Compile(res.Schema));
        }
        catch (SchemaCompileException)
        {
            return new StrongBox<StructuralSchema?>(null);
        }
    }).Value;

    /// <summary>Prunes fields the schema does not know; returns their paths (the strict decoder's unknown fields).</summary>
    public static IReadOnlyList<string> Prune(ApiResource resource, JsonObject obj) =>
        SchemaFor(resource) is { } schema ? schema.Prune(obj) : [];

    /// <summary>Drops non-nullable nulls, defaults and validates (after <see cref="Prune"/>).</summary>
    public static CrAdmissionResult Admit(ApiResource resource, JsonObject obj, JsonObject? old)
    {
        var schema = SchemaFor(resource);
        if (schema is null) return new CrAdmissionResult(null, [], []);
        schema.PruneNonNullableNulls(obj);
        schema.ApplyDefaults(obj);
        var validation = schema.ValidateWithWarnings(obj, old);
        JsonObject? invalid = null;
        if (validation.Errors.Count > 0)
        {
            var status = InvalidStatus.Build(resource.Kind, resource.Group, Json.Path(obj, "metadata", "name") ?? "", validation.Errors);
            invalid = StatusJson.ToJson(status);
        }

        return new CrAdmissionResult(invalid, [], validation.Warnings);
    }
}
