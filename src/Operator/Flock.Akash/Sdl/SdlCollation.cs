namespace Flock.Akash.Sdl;

/// <summary>
/// The order chain-sdk's TypeScript gets from String.prototype.localeCompare (ICU root collation), for the
/// characters Akash names and attribute keys use ([A-Za-z0-9_./-]). Needed because it decides the order of
/// attributes, services and GPU vendors in group specs and manifests, and so the manifest hash; .NET here runs
/// with invariant globalization, where culture comparison is ordinal. Rules: punctuation (_ - . / in that order)
/// before digits before letters; letters compare case-blind first; then lower case before upper case; then ordinal.
/// </summary>
public sealed class SdlCollation : IComparer<string>
{
    /// <summary>The one instance.</summary>
    public static readonly SdlCollation Instance = new();

    private SdlCollation()
    {
    }

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var primary = CompareLevel(x, y, Primary);
        if (primary != 0)
        {
            return primary;
        }

        var tertiary = CompareLevel(x, y, Tertiary);
        return tertiary != 0 ? tertiary : string.CompareOrdinal(x, y);
    }

    private static int CompareLevel(string x, string y, Func<char, int> weight)
    {
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            var c = weight(x[i]).CompareTo(weight(y[i]));
            if (c != 0)
            {
                return c;
            }
        }

        return x.Length.CompareTo(y.Length);
    }

    private static int Primary(char c) => c switch
    {
        '_' => 1,
        '-' => 2,
        '.' => 3,
        '/' => 4,
        >= '0' and <= '9' => 100 + (c - '0'),
        >= 'a' and <= 'z' => 200 + (c - 'a'),
        >= 'A' and <= 'Z' => 200 + (c - 'A'),
        // Outside the name alphabet: after everything above, in code-unit order (good enough, never used by valid names).
        _ => 1000 + c,
    };

    private static int Tertiary(char c) => c is >= 'A' and <= 'Z' ? 1 : 0;
}
