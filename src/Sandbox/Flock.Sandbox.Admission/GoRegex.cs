using System.Text;
using System.Text.RegularExpressions;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Compiles an OpenAPI <c>pattern</c> with the semantics of Go's regexp (RE2), which is what the apiserver uses,
/// on top of .NET's engine.
/// </summary>
/// <remarks>
/// The differences that matter for schema patterns are translated: <c>$</c> means end of text (not "before a final
/// newline"), <c>\d \w \s</c> are ASCII-only, <c>\pL</c> needs braces in .NET, and <c>(?P&lt;name&gt;</c> is Go's group
/// syntax. Constructs RE2 rejects (lookaround, backreferences) are rejected too, as the apiserver refuses such a CRD.
/// </remarks>
public static class GoRegex
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Compiles <paramref name="pattern"/>, or returns the error text the way Go's regexp would phrase it.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        error = null;
        string translated;
        try
        {
            translated = Translate(pattern);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return null;
        }

        try
        {
            return new Regex(translated, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            error = "error parsing regexp: " + e.Message;
            return null;
        }
    }

    private static string Translate(string pattern)
    {
        var multiline = pattern.Contains("(?m", StringComparison.Ordinal) || pattern.Contains("(?sm", StringComparison.Ordinal)
            || pattern.Contains("(?im", StringComparison.Ordinal);
        var sb = new StringBuilder(pattern.Length + 16);
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var n = pattern[++i];
                sb.Append(TranslateEscape(n, inClass, pattern, ref i));
                continue;
            }

            if (inClass)
            {
                if (c == ']' && !ClassJustOpened(sb))
                {
                    inClass = false;
                }

                sb.Append(c);
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    sb.Append(c);
                    if (i + 1 < pattern.Length && pattern[i + 1] == '^')
                    {
                        sb.Append('^');
                        i++;
                    }

                    break;
                case '$':
                    sb.Append(multiline ? "(?=\\n|\\z)" : "\\z");
                    break;
                case '(' when i + 2 < pattern.Length && pattern[i + 1] == '?':
                    var rest = pattern.AsSpan(i + 2);
                    if (rest.StartsWith("=") || rest.StartsWith("!") || rest.StartsWith("<=") || rest.StartsWith("<!"))
                    {
                        throw new ArgumentException("error parsing regexp: invalid or unsupported Perl syntax: `(?" + rest[0] + "`");
                    }

                    if (rest.StartsWith("P<"))
                    {
                        sb.Append("(?<");
                        i += 3;
                        break;
                    }

                    sb.Append(c);
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static bool ClassJustOpened(StringBuilder sb) =>
        (sb.Length >= 1 && sb[^1] == '[') || (sb.Length >= 2 && sb[^1] == '^' && sb[^2] == '[');

    private static string TranslateEscape(char n, bool inClass, string pattern, ref int i)
    {
        switch (n)
        {
            case 'd': return inClass ? "0-9" : "[0-9]";
            case 'D': return inClass ? "\\D" : "[^0-9]";
            case 'w': return inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]";
            case 'W': return inClass ? "\\W" : "[^0-9A-Za-z_]";
            case 's': return inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]";
            case 'S': return inClass ? "\\S" : "[^\\t\\n\\f\\r ]";
            case 'z': return "\\z";
            case 'p' or 'P' when i + 1 < pattern.Length && pattern[i + 1] != '{':
                // Go accepts one-letter classes without braces (\pL); .NET needs \p{L}.
                i++;
                return "\\" + n + "{" + pattern[i] + "}";
            case >= '1' and <= '9' when !inClass:
                throw new ArgumentException("error parsing regexp: invalid escape sequence: `\\" + n + "`");
            default:
                return "\\" + n;
        }
    }
}
