using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// One field error, printed exactly like field.Error of k8s.io/apimachinery: "&lt;field&gt;: &lt;body&gt;".
/// </summary>
/// <param name="Field">The field path string ("spec.env[0].name", "&lt;nil&gt;" for none).</param>
/// <param name="Type">The error type (decides the cause reason and the words).</param>
/// <param name="BadValue">The offending value as decoded JSON; null prints as "null".</param>
/// <param name="Detail">Free text appended after ": ", omitted when empty.</param>
public sealed record FieldError(string Field, FieldErrorType Type, JsonNode? BadValue, string Detail)
{
    /// <summary>Go's omitValue sentinel: the body shows only the type words (used by TooMany with an unknown count).</summary>
    public bool OmitValue { get; init; }

    /// <summary>field.Error.ErrorBody(): the message of a StatusCause.</summary>
    public string ErrorBody()
    {
        var body = Type is FieldErrorType.Required or FieldErrorType.Forbidden or FieldErrorType.TooLong or FieldErrorType.Internal || OmitValue
            ? Type.Text()
            : Type.Text() + ": " + GoFormat.Value(BadValue);
        return Detail.Length == 0 ? body : body + ": " + Detail;
    }

    public override string ToString() => Field + ": " + ErrorBody();

    public static FieldError Required(string field, string detail = "") => new(field, FieldErrorType.Required, null, detail);

    public static FieldError Forbidden(string field, string detail) => new(field, FieldErrorType.Forbidden, null, detail);

    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.Invalid, value, detail);

    public static FieldError TypeInvalid(string field, JsonNode? value, string detail) => new(field, FieldErrorType.TypeInvalid, value, detail);

    public static FieldError Duplicate(string field, JsonNode? value) => new(field, FieldErrorType.Duplicate, value, string.Empty);

    public static FieldError Internal(string field, string detail) => new(field, FieldErrorType.Internal, null, detail);

    /// <summary>field.NotSupported: "supported values: \"a\", \"b\"" (each value Go-quoted).</summary>
    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> validValues)
    {
        var quoted = validValues.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : string.Empty;
        return new(field, FieldErrorType.NotSupported, value, detail);
    }

    /// <summary>field.TooLong: the value is never printed; "may not be more than N bytes" (kube-openapi counts runes).</summary>
    public static FieldError TooLong(string field, JsonNode? value, long maxLength)
    {
        var detail = maxLength >= 0
            ? $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}"
            : "value is too long";
        return new(field, FieldErrorType.TooLong, value, detail);
    }

    /// <summary>field.TooMany: "Too many: 70: must have at most 64 items".</summary>
    public static FieldError TooMany(string field, long actual, long max)
    {
        var detail = max >= 0 ? $"must have at most {max} {(max == 1 ? "item" : "items")}" : "has too many items";
        return actual >= 0
            ? new(field, FieldErrorType.TooMany, JsonValue.Create(actual), detail)
            : new(field, FieldErrorType.TooMany, null, detail) { OmitValue = true };
    }
}
