namespace Flock.Crds.Schema;

/// <summary>The field must be present (OpenAPI <c>required</c> on the parent object).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>Schema default, written as a JSON literal (<c>"\"InCluster\""</c>, <c>"1"</c>, <c>"{}"</c>).</summary>
/// <remarks>The apiserver applies it on create, update and read, so a user sees the effective value.</remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(string json) : Attribute
{
    public string Json { get; } = json;
}

/// <summary>ECMA-262 regular expression a string must match.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class)]
public sealed class PatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}

/// <summary>OpenAPI <c>format</c> (date-time, int64, …).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    public string Format { get; } = format;
}

/// <summary>Inclusive numeric bounds.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute : Attribute
{
    public RangeAttribute(long minimum) => Minimum = minimum;

    public RangeAttribute(long minimum, long maximum)
    {
        Minimum = minimum;
        Maximum = maximum;
    }

    public long? Minimum { get; }
    public long? Maximum { get; }
}

/// <summary>Length bounds: characters for strings, items for lists, entries for maps.</summary>
/// <remarks>Bounds keep the apiserver's CEL cost estimate finite, so every list and string has one.</remarks>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LengthAttribute(int minimum, int maximum) : Attribute
{
    public int Minimum { get; } = minimum;
    public int Maximum { get; } = maximum;
}

/// <summary>A list's merge semantics (<c>x-kubernetes-list-type</c>) and, for <c>map</c>, its keys.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListTypeAttribute(string type, params string[] mapKeys) : Attribute
{
    public string Type { get; } = type;
    public IReadOnlyList<string> MapKeys { get; } = mapKeys;
}

/// <summary>A Kubernetes resource quantity ("8", "24Gi", 100): integer or string, matching the quantity grammar.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class QuantityAttribute : Attribute;

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) evaluated with <c>self</c> bound to the annotated field or type.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Class, AllowMultiple = true)]
public sealed class CelRuleAttribute(string rule, string message) : Attribute
{
    public string Rule { get; } = rule;
    public string Message { get; } = message;

    /// <summary>Relative JSONPath (<c>.akash</c>) of the field the error names, when not the annotated one.</summary>
    public string? FieldPath { get; init; }

    /// <summary>API machinery reason: FieldValueInvalid (default), FieldValueForbidden, FieldValueRequired, FieldValueDuplicate.</summary>
    public string? Reason { get; init; }
}

/// <summary>Pattern and maximum length each string item of a list (or value of a map) must meet.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemsAttribute(string pattern, int maxLength) : Attribute
{
    public string Pattern { get; } = pattern;
    public int MaxLength { get; } = maxLength;
}
