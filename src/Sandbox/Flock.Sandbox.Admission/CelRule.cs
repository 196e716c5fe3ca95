using Cel;

namespace Flock.Sandbox.Admission;

/// <summary>One compiled <c>x-kubernetes-validations</c> rule of a schema node.</summary>
/// <param name="Rule">The CEL expression that must evaluate to true.</param>
/// <param name="Message">The static message as written (used trimmed), or null for the default "failed rule: &lt;rule&gt;".</param>
/// <param name="MessageExpression">A CEL expression producing the message, when set.</param>
/// <param name="Reason">FieldValueInvalid (default), FieldValueRequired, FieldValueForbidden or FieldValueDuplicate.</param>
/// <param name="FieldPath">The normalized fieldPath ("amount", "attributes[region]"), or null for the node itself.</param>
/// <param name="OptionalOldSelf">Evaluate on create too, with oldSelf an optional.</param>
/// <param name="UsesOldSelf">A transition rule: it reads oldSelf, so it only runs when there is an old value.</param>
public sealed record CelRule(
    string Rule,
    string? Message,
    string? MessageExpression,
    string? Reason,
    string? FieldPath,
    bool OptionalOldSelf,
    bool UsesOldSelf)
{
    internal CelProgramDelegate Program { get; init; } = _ => null;

    internal CelProgramDelegate? MessageProgram { get; init; }

    /// <summary>The operands of a top-level || or &amp;&amp;, compiled separately (see <see cref="Evaluate"/>).</summary>
    internal CelJunction? Junction { get; init; }

    /// <summary>
    /// Runs the rule. cel-go lets a true operand of || (a false one of &amp;&amp;) win over an error in another operand,
    /// in either order; the Cel package stops at the first error, so when the whole rule fails with an error its
    /// top-level operands are tried one by one before the error stands.
    /// </summary>
    internal object? Evaluate(IDictionary<string, object?> variables)
    {
        try
        {
            return Program(variables);
        }
        catch (Exception) when (Junction is { } junction && junction.Decides(variables))
        {
            return junction.IsOr;
        }
    }

    /// <summary>ruleErrorString: the message if set, else the rule, trimmed.</summary>
    public string ErrorString => string.IsNullOrWhiteSpace(Message) ? Rule.Trim() : Message.Trim();

    /// <summary>ruleMessageOrDefault: the message if set, else "failed rule: &lt;rule&gt;".</summary>
    public string MessageOrDefault => string.IsNullOrWhiteSpace(Message) ? "failed rule: " + Rule.Trim() : Message.Trim();
}

/// <summary>The operands of a rule's top-level disjunction (IsOr) or conjunction.</summary>
internal sealed record CelJunction(bool IsOr, IReadOnlyList<CelProgramDelegate> Operands)
{
    /// <summary>True when some operand evaluates, without error, to the value that decides the junction.</summary>
    public bool Decides(IDictionary<string, object?> variables) => Operands.Any(operand =>
    {
        try
        {
            return operand(variables) is bool b && b == IsOr;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    });
}
