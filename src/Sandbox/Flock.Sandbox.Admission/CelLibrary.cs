using System.Collections;
using System.Text;
using System.Text.RegularExpressions;
using Cel;

namespace Flock.Sandbox.Admission;

/// <summary>An optional value (optionalOldSelf rules see oldSelf as one): hasValue(), value(), orValue(x).</summary>
internal sealed record CelOptional(bool HasValue, object? Value);

/// <summary>An evaluation error raised by a library function, worded like cel-go's.</summary>
internal sealed class CelEvaluationException(string message) : Exception(message);

/// <summary>
/// The CEL environment used for x-kubernetes-validations: the base language of the Cel package plus the
/// Kubernetes libraries it lacks (cel-go's strings extension, the Kubernetes list and regex libraries, optionals).
/// Strings are indexed by code point, as in cel-go.
/// </summary>
internal static class CelLibrary
{
    public static CelEnvironment CreateEnvironment()
    {
        var env = new CelEnvironment(null, null);
        RegisterStrings(env);
        RegisterLists(env);
        RegisterRegex(env);
        RegisterOptionals(env);
        return env;
    }

    private static void RegisterStrings(CelEnvironment env)
    {
        Type s = typeof(string), l = typeof(long), list = typeof(IList);
        env.RegisterFunction("charAt", [s, l], a =>
        {
            var runes = Runes(a[0]);
            var i = (long)a[1]!;
            if (i < 0 || i > runes.Length)
            {
                throw new CelEvaluationException($"index out of range: {i}");
            }

            return i == runes.Length ? string.Empty : runes[i].ToString();
        });
        env.RegisterFunction("indexOf", [s, s], a => IndexOf(Runes(a[0]), Runes(a[1]), 0));
        env.RegisterFunction("indexOf", [s, s, l], a => IndexOf(Runes(a[0]), Runes(a[1]), (long)a[2]!));
        env.RegisterFunction("lastIndexOf", [s, s], a => LastIndexOf(Runes(a[0]), Runes(a[1]), long.MaxValue));
        env.RegisterFunction("lastIndexOf", [s, s, l], a => LastIndexOf(Runes(a[0]), Runes(a[1]), (long)a[2]!));
        env.RegisterFunction("lowerAscii", [s], a => MapAscii((string)a[0]!, char.ToLowerInvariant));
        env.RegisterFunction("upperAscii", [s], a => MapAscii((string)a[0]!, char.ToUpperInvariant));
        env.RegisterFunction("replace", [s, s, s], a => Replace((string)a[0]!, (string)a[1]!, (string)a[2]!, -1));
        env.RegisterFunction("replace", [s, s, s, l], a => Replace((string)a[0]!, (string)a[1]!, (string)a[2]!, (long)a[3]!));
        env.RegisterFunction("split", [s, s], a => Split((string)a[0]!, (string)a[1]!, -1));
        env.RegisterFunction("split", [s, s, l], a => Split((string)a[0]!, (string)a[1]!, (long)a[2]!));
        env.RegisterFunction("substring", [s, l], a => Substring(Runes(a[0]), (long)a[1]!, null));
        env.RegisterFunction("substring", [s, l, l], a => Substring(Runes(a[0]), (long)a[1]!, (long)a[2]!));
        env.RegisterFunction("trim", [s], a => ((string)a[0]!).Trim());
        env.RegisterFunction("join", [list], a => string.Join(string.Empty, ((IList)a[0]!).Cast<object?>().Select(StringElement)));
        env.RegisterFunction("join", [list, s], a => string.Join((string)a[1]!, ((IList)a[0]!).Cast<object?>().Select(StringElement)));
    }

    private static void RegisterLists(CelEnvironment env)
    {
        Type list = typeof(IList), any = typeof(object);
        env.RegisterFunction("isSorted", [list], a =>
        {
            var items = ((IList)a[0]!).Cast<object?>().ToList();
            return items.Zip(items.Skip(1)).All(p => Compare(p.First, p.Second) <= 0);
        });
        env.RegisterFunction("sum", [list], a => Sum((IList)a[0]!));
        env.RegisterFunction("min", [list], a => Extreme((IList)a[0]!, -1));
        env.RegisterFunction("max", [list], a => Extreme((IList)a[0]!, 1));
        env.RegisterFunction("indexOf", [list, any], a =>
        {
            var items = ((IList)a[0]!).Cast<object?>().ToList();
            return (long)items.FindIndex(x => CelEquals(x, a[1]));
        });
        env.RegisterFunction("lastIndexOf", [list, any], a =>
        {
            var items = ((IList)a[0]!).Cast<object?>().ToList();
            return (long)items.FindLastIndex(x => CelEquals(x, a[1]));
        });
    }

    private static void RegisterRegex(CelEnvironment env)
    {
        Type s = typeof(string), l = typeof(long);
        env.RegisterFunction("find", [s, s], a =>
        {
            var m = CompileRegex((string)a[1]!).Match((string)a[0]!);
            return m.Success ? m.Value : string.Empty;
        });
        env.RegisterFunction("findAll", [s, s], a => FindAll((string)a[0]!, (string)a[1]!, -1));
        env.RegisterFunction("findAll", [s, s, l], a => FindAll((string)a[0]!, (string)a[1]!, (long)a[2]!));
    }

    private static void RegisterOptionals(CelEnvironment env)
    {
        Type opt = typeof(CelOptional), any = typeof(object);
        env.RegisterFunction("hasValue", [opt], a => ((CelOptional)a[0]!).HasValue);
        env.RegisterFunction("value", [opt], a =>
        {
            var o = (CelOptional)a[0]!;
            return o.HasValue ? o.Value : throw new CelEvaluationException("optional.none() dereference");
        });
        env.RegisterFunction("orValue", [opt, any], a => ((CelOptional)a[0]!) is { HasValue: true } o ? o.Value : a[1]);
    }

    private static Rune[] Runes(object? s) => ((string)s!).EnumerateRunes().ToArray();

    private static string Text(IEnumerable<Rune> runes) => string.Concat(runes.Select(r => r.ToString()));

    private static long IndexOf(Rune[] text, Rune[] sub, long from)
    {
        if (from < 0 || from > text.Length)
        {
            throw new CelEvaluationException($"index out of range: {from}");
        }

        for (var i = (int)from; i + sub.Length <= text.Length; i++)
        {
            if (text.AsSpan(i, sub.Length).SequenceEqual(sub))
            {
                return i;
            }
        }

        return -1;
    }

    private static long LastIndexOf(Rune[] text, Rune[] sub, long from)
    {
        if (from != long.MaxValue && (from < 0 || from > text.Length))
        {
            throw new CelEvaluationException($"index out of range: {from}");
        }

        var start = (int)Math.Min(from, text.Length - sub.Length);
        for (var i = start; i >= 0; i--)
        {
            if (i + sub.Length <= text.Length && text.AsSpan(i, sub.Length).SequenceEqual(sub))
            {
                return i;
            }
        }

        return -1;
    }

    private static string MapAscii(string s, Func<char, char> map) =>
        string.Concat(s.Select(c => c < 0x80 ? map(c) : c));

    private static string Replace(string s, string old, string replacement, long n)
    {
        if (n == 0)
        {
            return s;
        }

        if (n < 0)
        {
            return old.Length == 0 ? Text(InterleaveEmpty(s, replacement)) : s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        var index = 0;
        for (var done = 0; done < n; done++)
        {
            var at = s.IndexOf(old, index, StringComparison.Ordinal);
            if (at < 0 || old.Length == 0)
            {
                break;
            }

            sb.Append(s, index, at - index).Append(replacement);
            index = at + old.Length;
        }

        return sb.Append(s, index, s.Length - index).ToString();
    }

    private static IEnumerable<Rune> InterleaveEmpty(string s, string replacement)
    {
        var rep = replacement.EnumerateRunes().ToArray();
        foreach (var r in rep)
        {
            yield return r;
        }

        foreach (var c in s.EnumerateRunes())
        {
            yield return c;
            foreach (var r in rep)
            {
                yield return r;
            }
        }
    }

    private static List<object?> Split(string s, string sep, long n)
    {
        if (n == 0)
        {
            return [];
        }

        string[] parts = sep.Length == 0
            ? s.EnumerateRunes().Select(r => r.ToString()).ToArray()
            : n < 0 ? s.Split(sep) : s.Split(sep, (int)Math.Min(n, int.MaxValue));
        if (sep.Length == 0 && n > 0 && parts.Length > n)
        {
            parts = [.. parts.Take((int)n - 1), string.Concat(parts.Skip((int)n - 1))];
        }

        return parts.Cast<object?>().ToList();
    }

    private static string Substring(Rune[] runes, long start, long? end)
    {
        var stop = end ?? runes.Length;
        if (start < 0 || start > runes.Length)
        {
            throw new CelEvaluationException($"index out of range: {start}");
        }

        if (stop < 0 || stop > runes.Length)
        {
            throw new CelEvaluationException($"index out of range: {stop}");
        }

        if (start > stop)
        {
            throw new CelEvaluationException($"invalid substring range. start: {start}, end: {stop}");
        }

        return Text(runes.Skip((int)start).Take((int)(stop - start)));
    }

    private static string StringElement(object? o) =>
        o as string ?? throw new CelEvaluationException("join: list must contain only strings");

    private static object Sum(IList list)
    {
        var items = list.Cast<object?>().ToList();
        if (items.All(i => i is long or int))
        {
            long total = 0;
            foreach (var i in items)
            {
                total = checked(total + Convert.ToInt64(i, System.Globalization.CultureInfo.InvariantCulture));
            }

            return total;
        }

        if (items.All(i => i is double))
        {
            return items.Sum(i => (double)i!);
        }

        throw new CelEvaluationException("no such overload");
    }

    private static object? Extreme(IList list, int sign)
    {
        var items = list.Cast<object?>().ToList();
        if (items.Count == 0)
        {
            throw new CelEvaluationException(sign < 0 ? "min(list) argument must not be empty" : "max(list) argument must not be empty");
        }

        return items.Aggregate((best, x) => Compare(x, best) * sign > 0 ? x : best);
    }

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (long x, double y) => ((double)x).CompareTo(y),
        (double x, long y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (bool x, bool y) => x.CompareTo(y),
        _ => throw new CelEvaluationException("no such overload"),
    };

    private static bool CelEquals(object? a, object? b) => (a, b) switch
    {
        (long x, double y) => x == y,
        (double x, long y) => x == y,
        _ => Equals(a, b),
    };

    private static Regex CompileRegex(string pattern) =>
        GoRegex.TryCompile(pattern, out var error) ?? throw new CelEvaluationException(error ?? "invalid regular expression");

    private static List<object?> FindAll(string s, string pattern, long n)
    {
        var matches = CompileRegex(pattern).Matches(s).Select(m => (object?)m.Value);
        return (n < 0 ? matches : matches.Take((int)Math.Min(n, int.MaxValue))).ToList();
    }
}
