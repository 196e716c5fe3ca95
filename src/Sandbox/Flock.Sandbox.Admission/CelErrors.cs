using System.Text.RegularExpressions;
using Cel;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Words a CEL evaluation failure the way the apiserver reports it:
/// "&lt;cel-go error&gt; evaluating rule: &lt;message or rule&gt;", with the special wording for "no such overload".
/// </summary>
internal static partial class CelErrors
{
    /// <summary>The detail of the FieldValueInvalid error for a rule whose evaluation failed.</summary>
    public static string EvaluationDetail(Exception exception, CelRule rule)
    {
        exception = Unwrap(exception);
        return exception is CelNoSuchOverloadException
            ? $"'no such overload': call arguments did not match a supported operator, function or macro signature for rule: {rule.ErrorString}"
            : $"{Describe(exception)} evaluating rule: {rule.ErrorString}";
    }

    /// <summary>
    /// The Cel package reports an error inside || and &amp;&amp; as "Could not compare OR values" wrapping the real one;
    /// cel-go propagates the operand's own error, so that is the one to describe.
    /// </summary>
    private static Exception Unwrap(Exception exception)
    {
        while (exception is CelNoSuchOverloadException { InnerException: { } inner }
               && exception.Message.StartsWith("Could not compare", StringComparison.Ordinal))
        {
            exception = inner;
        }

        return exception;
    }

    /// <summary>The text cel-go would give for the same failure, as far as the Cel package lets us tell.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        CelNoSuchFieldException e => NoSuchKey(e.Message),
        CelTypeDoesNotSupportFieldSelectionException e => MissingOperand(e.Message),
        CelDivideByZeroException => "division by zero",
        CelModulusByZeroException => "modulus by zero",
        CelOverflowException or OverflowException => "integer overflow",
        CelStringParsingException e => Conversion(e.Message),
        CelArgumentRangeException => "index out of range",
        CelEvaluationException e => e.Message,
        CelUndeclaredReferenceException e => e.Message,
        _ => exception.Message,
    };

    /// <summary>The text for a select that produced the Cel package's "no such field" marker instead of throwing.</summary>
    public static string NoSuchFieldResult(object marker)
    {
        var message = marker.GetType().GetProperty("Message")?.GetValue(marker) as string ?? string.Empty;
        return NoSuchKey(message);
    }

    public static bool IsNoSuchFieldMarker(object? value) => value?.GetType().FullName == "Cel.Internal.CelNoSuchField";

    private static string NoSuchKey(string message)
    {
        var m = QuotedField().Match(message);
        return m.Success ? "no such key: " + m.Groups[1].Value : "no such key";
    }

    /// <summary>"Type 'self.akash' does not support field selection" means self.akash was absent: cel-go says "no such key: akash".</summary>
    private static string MissingOperand(string message)
    {
        var m = Operand().Match(message);
        if (!m.Success)
        {
            return "no such key";
        }

        var operand = m.Groups[1].Value;
        var dot = operand.LastIndexOf('.');
        return "no such key: " + (dot >= 0 ? operand[(dot + 1)..] : operand);
    }

    /// <summary>cel-go wraps the strconv error of int()/double() on a string.</summary>
    private static string Conversion(string message)
    {
        var m = QuotedValue().Match(message);
        var value = m.Success ? m.Groups[1].Value : string.Empty;
        var isDouble = message.Contains("double", StringComparison.OrdinalIgnoreCase);
        var function = isDouble ? "ParseFloat" : message.Contains("UInt", StringComparison.OrdinalIgnoreCase) ? "ParseUint" : "ParseInt";
        var reason = !isDouble && IntegerText().IsMatch(value) ? "value out of range" : "invalid syntax";
        return $"strconv.{function}: parsing {GoFormat.Quote(value)}: {reason}";
    }

    [GeneratedRegex("field '([^']*)'")]
    private static partial Regex QuotedField();

    [GeneratedRegex("Type '([^']*)'")]
    private static partial Regex Operand();

    [GeneratedRegex("'(.*)'")]
    private static partial Regex QuotedValue();

    [GeneratedRegex(@"^[+-]?[0-9]+\z")]
    private static partial Regex IntegerText();
}
