using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>What admission decided: errors reject the request (422), warnings go back as Warning headers.</summary>
public sealed record AdmissionResult(IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings)
{
    public bool Allowed => Errors.Count == 0;
}

/// <summary>
/// Runs a custom resource through the apiserver's steps for create and update, in its order: prune unknown fields
/// (warning "unknown field \"spec.foo\"" each), drop non-nullable nulls, apply defaults, then validate
/// (with the old object on update, for transition rules and ratcheting).
/// </summary>
public static class CustomResourceAdmission
{
    /// <summary>Mutates <paramref name="obj"/> in place (pruned and defaulted, as it would be stored).</summary>
    public static AdmissionResult Admit(StructuralSchema schema, JsonObject obj, JsonObject? oldObj, ValidationOptions? options = null)
    {
        var warnings = schema.Prune(obj).Select(path => $"unknown field {GoFormat.Quote(path)}").ToList();
        schema.PruneNonNullableNulls(obj);
        schema.ApplyDefaults(obj);
        var validation = schema.ValidateWithWarnings(obj, oldObj, options);
        warnings.AddRange(validation.Warnings);
        return new AdmissionResult(validation.Errors, warnings);
    }
}
