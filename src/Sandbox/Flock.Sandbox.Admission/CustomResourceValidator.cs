using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// The custom resource strategy's Validate/ValidateUpdate: OpenAPI schema, embedded resources, list types, then
/// CEL rules, which are skipped (with one extra error) when a blocking schema error was found.
/// </summary>
internal static class CustomResourceValidator
{
    /// <summary>The error the apiserver adds instead of running CEL rules on an object with blocking errors.</summary>
    public const string RulesNotCheckedDetail =
        "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    public static ValidationResult Validate(StructuralSchema schema, JsonObject obj, JsonObject? oldObj, ValidationOptions options)
    {
        var errors = OpenApiValidator.Validate(schema, obj, oldObj, options.Ratcheting);
        errors.AddRange(EmbeddedResourceValidator.Validate(schema, obj));

        // On update, list-type errors are only reported when the old object had none (the apiserver ratchets them).
        if (oldObj is null || ListTypeValidator.Validate(schema, oldObj).Count == 0)
        {
            errors.AddRange(ListTypeValidator.Validate(schema, obj));
        }

        var warnings = new List<string>();
        if (schema.HasRulesInTree)
        {
            if (errors.Any(IsBlocking))
            {
                errors.Add(FieldError.Invalid(FieldPath.Root.ToString(), null, RulesNotCheckedDetail));
            }
            else
            {
                var cel = CelValidator.Validate(schema, obj, oldObj, options.Ratcheting);
                errors.AddRange(cel.Errors);
                warnings.AddRange(cel.Warnings);
            }
        }

        return new ValidationResult(errors, warnings);
    }

    /// <summary>Type, required, enum, maxLength, maxItems and maxProperties violations keep CEL rules from running.</summary>
    private static bool IsBlocking(FieldError error) => error.Type is FieldErrorType.NotSupported or FieldErrorType.Required
        or FieldErrorType.TooLong or FieldErrorType.TooMany or FieldErrorType.TypeInvalid;
}
