using System.Text.RegularExpressions;

namespace Flock.Sandbox.Admission;

/// <summary>
/// The apiserver's escaping of property names into CEL identifiers (k8s.io/apiserver/pkg/cel/escaping.go):
/// reserved words become __word__, and "__", ".", "-", "/" become __underscores__, __dot__, __dash__, __slash__.
/// Names with other characters are not reachable from CEL.
/// </summary>
public static partial class CelNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
        "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    public static string? Escape(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return null;
        }

        if (Reserved.Contains(name))
        {
            return "__" + name + "__";
        }

        if (!Escapable().IsMatch(name))
        {
            return null;
        }

        return Expand().Replace(name, m => m.Value switch
        {
            "__" => "__underscores__",
            "." => "__dot__",
            "-" => "__dash__",
            _ => "__slash__",
        });
    }

    [GeneratedRegex(@"^[a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Escapable();

    [GeneratedRegex(@"__|[-./]", RegexOptions.CultureInvariant)]
    private static partial Regex Expand();
}
