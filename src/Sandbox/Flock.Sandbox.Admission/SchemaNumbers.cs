using System.Globalization;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Admission;

/// <summary>
/// kube-openapi's numberValidator for a schema: multipleOf, minimum and maximum, compared as integers when the
/// value is an integer (the bound is truncated to int64, as Go does) and as floats otherwise.
/// </summary>
/// <remarks>
/// For schemas kube-openapi does not know the declared type and format at this point, so no int32/int64 range
/// check happens: a format only matters to the type check.
/// </remarks>
internal static class SchemaNumbers
{
    public static void Check(ValueValidations v, JsonNode data, string path, List<FieldError> errors)
    {
        var isInteger = JsonValues.TryGetInteger(data, out var integer);
        var number = JsonValues.AsDouble(data);
        var field = OpenApiValidator.Field(path);

        if (v.MultipleOf is { } factor && factor > 0)
        {
            var fails = isInteger && (long)factor != 0
                ? integer % (long)factor != 0
                : !IsMultiple(number, factor);
            if (fails)
            {
                var shown = isInteger ? ((long)factor).ToString(CultureInfo.InvariantCulture) : GoFormat.Float(factor);
                errors.Add(FieldError.Invalid(field, data.DeepClone(), $"{path} in body should be a multiple of {shown}"));
            }
        }

        if (v.Minimum is { } min)
        {
            var (below, shown) = isInteger
                ? (v.ExclusiveMinimum ? integer <= (long)min : integer < (long)min, ((long)min).ToString(CultureInfo.InvariantCulture))
                : (v.ExclusiveMinimum ? number <= min : number < min, GoFormat.Float(min));
            if (below)
            {
                var words = v.ExclusiveMinimum ? "greater than" : "greater than or equal to";
                errors.Add(FieldError.Invalid(field, data.DeepClone(), $"{path} in body should be {words} {shown}"));
            }
        }

        if (v.Maximum is { } max)
        {
            var (above, shown) = isInteger
                ? (v.ExclusiveMaximum ? integer >= (long)max : integer > (long)max, ((long)max).ToString(CultureInfo.InvariantCulture))
                : (v.ExclusiveMaximum ? number >= max : number > max, GoFormat.Float(max));
            if (above)
            {
                var words = v.ExclusiveMaximum ? "less than" : "less than or equal to";
                errors.Add(FieldError.Invalid(field, data.DeepClone(), $"{path} in body should be {words} {shown}"));
            }
        }
    }

    /// <summary>go-openapi's float MultipleOf: the quotient (or its inverse form for factors below one) must be integral.</summary>
    private static bool IsMultiple(double value, double factor)
    {
        var quotient = factor < 1 ? 1 / factor * value : value / factor;
        return Math.Floor(quotient) == quotient;
    }
}
