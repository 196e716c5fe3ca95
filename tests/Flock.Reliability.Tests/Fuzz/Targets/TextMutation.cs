using CsCheck;

namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>
/// Mutated copies of seed documents: lines deleted, duplicated, swapped or re-indented, ranges cut, the text
/// truncated, and tokens that mean something to YAML or JSON (or to number parsers) put in or put instead of words.
/// </summary>
public static class TextMutation
{
    /// <summary>Tokens a parser has to think about.</summary>
    public static readonly string[] Tokens =
    [
        ":", ": ", "- ", "\n", "  ", "\t", "'", "\"", "{", "}", "[", "]", ",", "#", "&a ", "*a", "!!binary ", "!!str ", "? ", "|", ">", "---", "...",
        "~", "null", "true", "no", "-1", "0", "1e400", "-0", "0x1F", "1_000", "99999999999999999999", "18446744073709551616", "NaN", ".inf", "1.5",
        "0.000000000000000000001", "24Gi", "-24Gi", "1Ei", "999999Ei", "100m", "\u0000", "\u00e9", "\ud83d\udca5", "\u2028", "\ufeff", "\\u0000",
        "akash1", "uact", "uakt", "h100", "global", "true\n", "  - ", "<<: *a",
    ];

    public static Gen<string> Of(IReadOnlyList<string> seeds) =>
        from seed in Gen.Int[0, seeds.Count - 1]
        from edits in Edit.Array[1, 6]
        select edits.Aggregate(seeds[seed], (text, edit) => edit.Apply(text));

    private static readonly Gen<Edit> Edit =
        from kind in Gen.Int[0, 8]
        from at in Gen.Double[0, 1]
        from to in Gen.Double[0, 1]
        from token in Gen.Int[0, Tokens.Length - 1]
        select new Edit(kind, at, to, Tokens[token]);
}

/// <summary>One edit; positions are fractions of the text (or of its lines) so they fit any seed.</summary>
public sealed record Edit(int Kind, double At, double To, string Token)
{
    public string Apply(string text)
    {
        if (text.Length == 0) return Token;
        var lines = text.Split('\n').ToList();
        var line = Math.Min((int)(At * lines.Count), lines.Count - 1);
        var other = Math.Min((int)(To * lines.Count), lines.Count - 1);
        var pos = Math.Min((int)(At * text.Length), text.Length);
        var end = Math.Min(pos + (int)(To * 40), text.Length);
        switch (Kind)
        {
            case 0: return text.Insert(pos, Token);
            case 1: return text.Remove(pos, end - pos);
            case 2: return text[..pos] + Token + text[end..];
            case 3: lines.RemoveAt(line); break;
            case 4: lines.Insert(other, lines[line]); break;
            case 5: (lines[line], lines[other]) = (lines[other], lines[line]); break;
            case 6: lines[line] = (To < 0.5 ? " " : "") + (To < 0.5 ? lines[line] : lines[line].TrimStart()); break;
            case 7: return text[..pos];
            default: lines[line] = ReplaceWord(lines[line]); break;
        }

        return string.Join('\n', lines);
    }

    // The scalar after the first ": " becomes the token (a value of the wrong kind under a key the parser knows).
    private string ReplaceWord(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon < 0 ? line + Token : line[..(colon + 2)] + Token;
    }
}
