using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Flock.Sandbox.Admission;

/// <summary>
/// The string formats the apiserver validates for custom resources (kube-openapi's strfmt registry, filtered by
/// apiextensions' supportedFormats). Any other format is ignored, as the apiserver strips it before validating.
/// </summary>
public static partial class StringFormats
{
    private static readonly Dictionary<string, Func<string, bool>> Checks = new(StringComparer.Ordinal)
    {
        ["datetime"] = IsDateTime,
        ["date"] = IsDate,
        ["uuid"] = s => Uuid().IsMatch(s),
        ["uuid3"] = s => Uuid3().IsMatch(s),
        ["uuid4"] = s => Uuid4().IsMatch(s),
        ["uuid5"] = s => Uuid5().IsMatch(s),
        ["ipv4"] = s => IsIPv4(s),
        ["ipv6"] = s => s.Contains(':', StringComparison.Ordinal) && IsIP(s),
        ["cidr"] = IsCidr,
        ["mac"] = s => Mac().IsMatch(s),
        ["byte"] = IsBase64,
        ["hostname"] = s => s.Length <= 255 && Hostname().IsMatch(s),
        ["hexcolor"] = s => HexColor().IsMatch(s),
        ["bsonobjectid"] = s => BsonObjectId().IsMatch(s),
        ["password"] = _ => true,
    };

    /// <summary>The registry name of a schema format ("date-time" → "datetime"), or null when the apiserver ignores it.</summary>
    public static string? Normalize(string? format)
    {
        if (string.IsNullOrEmpty(format))
        {
            return null;
        }

        // go-openapi's name normalization drops dashes before the supportedFormats lookup.
        var name = format.Replace("-", string.Empty, StringComparison.Ordinal);
        return Checks.ContainsKey(name) ? name : null;
    }

    public static bool IsValid(string normalizedFormat, string value) =>
        !Checks.TryGetValue(normalizedFormat, out var check) || check(value);

    /// <summary>strfmt.IsDateTime: a full-date, "t", then hh:mm:ss[.frac](z|±hh:mm), case-insensitive.</summary>
    public static bool IsDateTime(string s)
    {
        if (s.Length < 4)
        {
            return false;
        }

        var parts = s.ToLowerInvariant().Split('t');
        if (parts.Length < 2 || !IsDate(parts[0]))
        {
            return false;
        }

        var m = DateTimeTail().Match(parts[1]);
        if (!m.Success)
        {
            return false;
        }

        return string.CompareOrdinal(m.Groups[1].Value, "23") <= 0
            && string.CompareOrdinal(m.Groups[2].Value, "59") <= 0
            && string.CompareOrdinal(m.Groups[3].Value, "59") <= 0;
    }

    /// <summary>time.Parse("2006-01-02", s): four-digit year, two-digit month and day, a real calendar day.</summary>
    public static bool IsDate(string s) =>
        s.Length == 10 && DateTime.TryParseExact(s, "yyyy'-'MM'-'dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>Go's net.ParseIP accepts dotted quads only without leading zeros, and strfmt also wants a dot.</summary>
    private static bool IsIPv4(string s)
    {
        var parts = s.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)
            && (p.Length == 1 || p[0] != '0') && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }

    private static bool IsIP(string s) =>
        IsIPv4(s) || (!s.Contains('%', StringComparison.Ordinal) && !s.Contains('[', StringComparison.Ordinal)
            && IPAddress.TryParse(s, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6);

    private static bool IsCidr(string s)
    {
        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            return false;
        }

        var ip = s[..slash];
        var bits = s[(slash + 1)..];
        var max = IsIPv4(ip) ? 32 : IsIP(ip) ? 128 : -1;
        return max > 0 && bits.Length is > 0 and <= 3 && bits.All(char.IsAsciiDigit)
            && (bits.Length == 1 || bits[0] != '0') && int.Parse(bits, CultureInfo.InvariantCulture) <= max;
    }

    private static bool IsBase64(string s)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out _) && !s.Any(char.IsWhiteSpace);
    }

    [GeneratedRegex(@"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))\z", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeTail();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?3[0-9a-fA-F]{3}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid3();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid4();

    [GeneratedRegex(@"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?5[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Uuid5();

    [GeneratedRegex(@"^([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}\z|^([0-9A-Fa-f]{2}[:-]){7}[0-9A-Fa-f]{2}\z|^([0-9A-Fa-f]{2}[:-]){19}[0-9A-Fa-f]{2}\z|^([0-9A-Fa-f]{4}\.){2}[0-9A-Fa-f]{4}\z|^([0-9A-Fa-f]{4}\.){3}[0-9A-Fa-f]{4}\z|^([0-9A-Fa-f]{4}\.){9}[0-9A-Fa-f]{4}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Mac();

    [GeneratedRegex(@"^([a-zA-Z0-9\p{S}\p{L}]((-?[a-zA-Z0-9\p{S}\p{L}]{0,62})?)|([a-zA-Z0-9\p{S}\p{L}](([a-zA-Z0-9-\p{S}\p{L}]{0,61}[a-zA-Z0-9\p{S}\p{L}])?)(\.)){1,}([a-zA-Z\p{L}]){2,63})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Hostname();

    [GeneratedRegex(@"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\z", RegexOptions.CultureInvariant)]
    private static partial Regex HexColor();

    [GeneratedRegex(@"^[0-9a-fA-F]{24}\z", RegexOptions.CultureInvariant)]
    private static partial Regex BsonObjectId();
}
