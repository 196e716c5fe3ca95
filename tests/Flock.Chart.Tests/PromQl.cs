using System.Text.RegularExpressions;

namespace Flock.Chart.Tests;

/// <summary>
/// A lexical reading of PromQL, enough to list the metric and label names an expression uses and to check
/// that its brackets balance. Prometheus' own parser (promtool check rules) judges the full grammar.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2",
    };

    /// <summary>Metric names: identifiers outside strings, matchers, ranges and grouping clauses that are not functions or keywords.</summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var bare = Grouping().Replace(Ranges().Replace(Matchers().Replace(Strings().Replace(expr, "\"\""), "{}"), "[]"), " ");
        return Identifier().Matches(bare)
            .Where(m => !Keywords.Contains(m.Value.ToLowerInvariant()) && !FollowedByParenthesis(bare, m))
            .Select(m => m.Value)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Label names in matchers and in by/without/on/ignoring/group_left/group_right clauses.</summary>
    public static IReadOnlySet<string> LabelNames(string expr)
    {
        var noStrings = Strings().Replace(expr, "\"\"");
        var inMatchers = Matchers().Matches(noStrings).SelectMany(m => MatcherLabel().Matches(m.Value).Select(l => l.Groups["label"].Value));
        var inGroupings = Grouping().Matches(noStrings).SelectMany(m => Identifier().Matches(m.Groups["labels"].Value).Select(l => l.Value));
        return inMatchers.Concat(inGroupings).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Null when (), [] and {} nest properly and every string is closed; else what is wrong.</summary>
    public static string? BracketProblem(string expr)
    {
        var stack = new Stack<char>();
        char? quote = null;
        for (var i = 0; i < expr.Length; i++)
        {
            var c = expr[i];
            if (quote is { } q)
            {
                if (c == '\\') i++;
                else if (c == q) quote = null;
                continue;
            }

            switch (c)
            {
                case '"' or '\'' or '`': quote = c; break;
                case '(' or '[' or '{': stack.Push(c); break;
                case ')' or ']' or '}':
                    var open = c switch { ')' => '(', ']' => '[', _ => '{' };
                    if (stack.Count == 0 || stack.Pop() != open) return $"unbalanced '{c}' at {i}";
                    break;
            }
        }

        if (quote is not null) return "unclosed string";
        return stack.Count == 0 ? null : $"unclosed '{stack.Peek()}'";
    }

    private static bool FollowedByParenthesis(string text, Match m)
    {
        var rest = text.AsSpan(m.Index + m.Length).TrimStart();
        return rest.Length > 0 && rest[0] == '(';
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\((?<labels>[^()]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex MatcherLabel();
}
