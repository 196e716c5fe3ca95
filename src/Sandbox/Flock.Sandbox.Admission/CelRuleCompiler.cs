using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using k8s.Models;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Compiles the x-kubernetes-validations of one schema node and reports what the apiserver would refuse when the
/// CRD is created: syntax and type errors, a bad reason, fieldPath or message, and oldSelf where it cannot apply.
/// </summary>
internal static partial class CelRuleCompiler
{
    private static readonly string[] Reasons = ["FieldValueDuplicate", "FieldValueForbidden", "FieldValueInvalid", "FieldValueRequired"];

    // One environment for every rule; compilation is serialised because the Cel package does not document thread safety.
    private static readonly CelEnvironment Environment = CelLibrary.CreateEnvironment();
    private static readonly Lock Gate = new();

    public static IReadOnlyList<CelRule> Compile(IList<V1ValidationRule>? rules, StructuralSchema node, FieldPath schemaPath, FieldPath? uncorrelatable, List<FieldError> errors)
    {
        var compiled = new List<CelRule>();
        for (var i = 0; i < (rules?.Count ?? 0); i++)
        {
            var path = schemaPath.Child("x-kubernetes-validations").Index(i);
            if (CompileOne(rules![i], node, path, uncorrelatable, errors) is { } rule)
            {
                compiled.Add(rule);
            }
        }

        return compiled;
    }

    private static CelRule? CompileOne(V1ValidationRule rule, StructuralSchema node, FieldPath path, FieldPath? uncorrelatable, List<FieldError> errors)
    {
        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(rule.Rule))
        {
            errors.Add(FieldError.Required(path.Child("rule").ToString(), "rule is not specified"));
            return null;
        }

        var optionalOldSelf = rule.OptionalOldSelf == true;
        var program = CompileExpression(rule.Rule, node, optionalOldSelf, out var usesOldSelf, out var error, out var junction);
        if (program is null)
        {
            errors.Add(FieldError.Invalid(path.Child("rule").ToString(), JsonValue.Create(rule.Rule), "compilation failed: " + error));
        }
        else if (usesOldSelf && uncorrelatable is not null)
        {
            errors.Add(FieldError.Invalid(path.Child("rule").ToString(), JsonValue.Create(rule.Rule),
                "oldSelf cannot be used on the uncorrelatable portion of the schema within " + uncorrelatable));
        }

        if (optionalOldSelf && program is not null && !usesOldSelf)
        {
            errors.Add(FieldError.Invalid(path.Child("optionalOldSelf").ToString(), JsonValue.Create(true), "may not be set if oldSelf is not used in rule"));
        }

        if (rule.Message is { } message)
        {
            if (message.Trim().Length == 0)
            {
                errors.Add(FieldError.Invalid(path.Child("message").ToString(), JsonValue.Create(message), "message must be non-empty if specified"));
            }
            else if (message.Contains('\n', StringComparison.Ordinal) || message.Contains('\r', StringComparison.Ordinal))
            {
                errors.Add(FieldError.Invalid(path.Child("message").ToString(), JsonValue.Create(message), "message must not contain line breaks"));
            }
        }

        if (rule.Reason is { } reason && !Reasons.Contains(reason, StringComparer.Ordinal))
        {
            errors.Add(FieldError.NotSupported(path.Child("reason").ToString(), JsonValue.Create(reason), Reasons));
        }

        string? normalizedFieldPath = null;
        if (!string.IsNullOrEmpty(rule.FieldPath))
        {
            normalizedFieldPath = CelFieldPath.Normalize(rule.FieldPath, node, out var fieldPathError);
            if (normalizedFieldPath is null)
            {
                errors.Add(FieldError.Invalid(path.Child("fieldPath").ToString(), JsonValue.Create(rule.FieldPath), "fieldPath must be a valid path: " + fieldPathError));
            }
        }

        CelProgramDelegate? messageProgram = null;
        if (!string.IsNullOrWhiteSpace(rule.MessageExpression))
        {
            messageProgram = CompileExpression(rule.MessageExpression, node, optionalOldSelf, out _, out var messageError, out _);
            if (messageProgram is null)
            {
                errors.Add(FieldError.Invalid(path.Child("messageExpression").ToString(), JsonValue.Create(rule.MessageExpression),
                    "messageExpression compilation failed: " + messageError));
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        return new CelRule(rule.Rule, rule.Message, rule.MessageExpression, rule.Reason, normalizedFieldPath, optionalOldSelf, usesOldSelf)
        {
            Program = program!,
            MessageProgram = messageProgram,
            Junction = junction,
        };
    }

    private static CelProgramDelegate? CompileExpression(
        string expression, StructuralSchema node, bool optionalOldSelf, out bool usesOldSelf, out string? error, out CelJunction? junction)
    {
        usesOldSelf = false;
        error = null;
        junction = null;
        lock (Gate)
        {
            Cel.Internal.CelParser.StartContext tree;
            try
            {
                tree = Environment.Parse(expression);
            }
            catch (CelException e)
            {
                error = SyntaxErrors(e.Message, expression);
                return null;
            }

            var check = CelStaticChecker.Check(tree, node, optionalOldSelf);
            usesOldSelf = check.UsesOldSelf;
            if (check.Errors.Count > 0)
            {
                error = string.Join("\n", check.Errors.Select(e => Located(e.Line, e.Column, e.Message, expression)));
                return null;
            }

            try
            {
                junction = Junction(tree, expression);
                return Environment.Compile(tree);
            }
            catch (CelException e)
            {
                error = e.Message;
                return null;
            }
        }
    }

    /// <summary>The separately compiled operands of a top-level a || b || ... or a &amp;&amp; b &amp;&amp; ..., if the rule is one.</summary>
    private static CelJunction? Junction(Cel.Internal.CelParser.StartContext tree, string expression)
    {
        var root = tree.expr();
        if (root.op is not null)
        {
            return null;
        }

        var or = root.e;
        if (or.conditionalAnd().Length > 1)
        {
            return new CelJunction(true, or.conditionalAnd().Select(o => CompileText(o, expression)).ToList());
        }

        var and = or.conditionalAnd(0);
        return and.relation().Length > 1
            ? new CelJunction(false, and.relation().Select(o => CompileText(o, expression)).ToList())
            : null;
    }

    private static CelProgramDelegate CompileText(Antlr4.Runtime.ParserRuleContext operand, string expression) =>
        Environment.Compile(expression[operand.Start.StartIndex..(operand.Stop.StopIndex + 1)]);

    /// <summary>Rewrites ANTLR's "Line 1:3 msg" lines into cel-go's "ERROR: &lt;input&gt;:1:4: Syntax error: msg" with the caret snippet.</summary>
    private static string SyntaxErrors(string message, string expression)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var formatted = lines.Select(line =>
        {
            var m = AntlrLocation().Match(line);
            return m.Success
                ? Located(int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture),
                    int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) + 1, "Syntax error: " + m.Groups[3].Value, expression)
                : "ERROR: <input>: " + line;
        });
        return string.Join("\n", formatted);
    }

    private static string Located(int line, int column, string message, string expression)
    {
        var source = expression.Split('\n');
        var text = line >= 1 && line <= source.Length ? source[line - 1] : string.Empty;
        return $"ERROR: <input>:{line}:{column}: {message}\n | {text}\n | {new string('.', Math.Max(0, column - 1))}^";
    }

    [GeneratedRegex(@"^Line (\d+):(\d+) (.*)$")]
    private static partial Regex AntlrLocation();
}
