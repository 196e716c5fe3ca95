namespace Flock.Sandbox.Admission;

/// <summary>The outcome of validating one object: errors reject the request, warnings go back in Warning headers.</summary>
public sealed record ValidationResult(IReadOnlyList<FieldError> Errors, IReadOnlyList<string> Warnings);

/// <summary>Switches for behaviour that depends on apiserver feature gates.</summary>
/// <param name="Ratcheting">
/// CRDValidationRatcheting (beta and on since Kubernetes 1.30, GA in 1.33): on update, errors in a part of the
/// object that equals the old object are not reported (CEL rules without oldSelf become warnings).
/// </param>
public sealed record ValidationOptions(bool Ratcheting = true)
{
    public static ValidationOptions Default { get; } = new();
}

/// <summary>A schema that cannot be compiled; <see cref="Errors"/> name each offending keyword by its path.</summary>
public sealed class SchemaCompileException(IReadOnlyList<FieldError> errors)
    : Exception("invalid schema: " + FieldErrors.Aggregate(errors))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
