using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Flock.Sandbox.Admission;

/// <summary>The value-validation keywords of one schema node (what kube-openapi checks, besides the type).</summary>
public sealed record ValueValidations
{
    public static ValueValidations None { get; } = new();

    public IReadOnlyList<JsonNode?>? Enum { get; init; }

    public string? Pattern { get; init; }

    /// <summary><see cref="Pattern"/> compiled with Go regexp semantics.</summary>
    public Regex? PatternRegex { get; init; }

    public long? MinLength { get; init; }

    public long? MaxLength { get; init; }

    public long? MinItems { get; init; }

    public long? MaxItems { get; init; }

    public bool UniqueItems { get; init; }

    public long? MinProperties { get; init; }

    public long? MaxProperties { get; init; }

    public double? Minimum { get; init; }

    public bool ExclusiveMinimum { get; init; }

    public double? Maximum { get; init; }

    public bool ExclusiveMaximum { get; init; }

    public double? MultipleOf { get; init; }

    /// <summary>The declared format, kept because it takes part in kube-openapi's numeric type check.</summary>
    public string? Format { get; init; }

    /// <summary>The registry name of a string format the apiserver checks ("datetime"), null when ignored.</summary>
    public string? CheckedStringFormat { get; init; }

    public IReadOnlyList<StructuralSchema> AllOf { get; init; } = [];

    public IReadOnlyList<StructuralSchema> AnyOf { get; init; } = [];

    public IReadOnlyList<StructuralSchema> OneOf { get; init; } = [];

    public StructuralSchema? Not { get; init; }
}
