using System.Text.Json;
using System.Text.RegularExpressions;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// The parts of Go's encoding/json behaviour that decide whether a provider can read a token's claims into its Go
/// structs (golang-jwt parser.go json.Unmarshal into chain-sdk's Claims). A <see cref="FormatException"/> stands for
/// Go's unmarshal error, which golang-jwt turns into ErrTokenMalformed before any key is looked up.
/// </summary>
internal static partial class GoJsonFields
{
    /// <summary>Go's decoder nests up to 10000 levels (encoding/json maxNestingDepth); System.Text.Json stops at 64 by default.</summary>
    public static JsonDocumentOptions Options { get; } = new() { MaxDepth = 10000 };

    /// <summary>
    /// The value Go assigns to a struct field: the last member whose name matches the field name case-insensitively
    /// (Go tries each member exactly, then folded, and a later member overwrites an earlier one). Null when absent.
    /// </summary>
    public static JsonElement? Field(JsonElement obj, string name)
    {
        JsonElement? found = null;
        foreach (var member in obj.EnumerateObject())
        {
            if (Fold(member.Name) == name)
            {
                found = member.Value;
            }
        }

        return found;
    }

    /// <summary>A string field: absent or null is "" (null kept distinct here for the caller), anything but a string fails.</summary>
    public static string? String(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        _ => throw new FormatException($"{name} is not a string"),
    };

    /// <summary>
    /// A []string field: absent or null is a nil slice (null), [] an empty one. A null item becomes "" (Go leaves
    /// the zero value); any other non-string item fails.
    /// </summary>
    public static IReadOnlyList<string>? Strings(JsonElement obj, string name) => Array(obj, name)?.Select(i => i.ValueKind switch
    {
        JsonValueKind.String => i.GetString()!,
        JsonValueKind.Null => string.Empty,
        _ => throw new FormatException($"{name} holds a non-string"),
    }).ToList();

    /// <summary>The items of a slice field; null for absent or JSON null; fails for anything but an array.</summary>
    public static IReadOnlyList<JsonElement>? Array(JsonElement obj, string name) => Field(obj, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Array } v => v.EnumerateArray().ToList(),
        _ => throw new FormatException($"{name} is not an array"),
    };

    /// <summary>
    /// An unsigned integer field (uint64/uint32): strconv.ParseUint of the literal, so no sign, fraction or exponent;
    /// absent or null is 0; out of range fails.
    /// </summary>
    public static ulong Unsigned(JsonElement obj, string name, ulong max)
    {
        var v = Field(obj, name);
        if (v is null || v.Value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (v.Value.ValueKind == JsonValueKind.Number && ulong.TryParse(v.Value.GetRawText(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n <= max)
        {
            return n;
        }

        throw new FormatException($"{name} is not an unsigned integer in range");
    }

    /// <summary>Whether a JSON string holds a number literal, which Go's json.Number accepts from a string too.</summary>
    public static bool IsNumberLiteral(string text) => NumberLiteral().IsMatch(text);

    // Go matches a member name to a field name by case folding (encoding/json foldName: each rune to the smallest of
    // its simple-fold orbit). The field names here are ASCII; the only non-ASCII runes whose orbit holds an ASCII
    // letter are U+017F (long s, orbit S s) and U+212A (Kelvin sign, orbit K k). Any other rune can never match.
    private static string Fold(string name) => string.Create(name.Length, name, static (span, source) =>
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            span[i] = c switch
            {
                >= 'A' and <= 'Z' => (char)(c + 32),
                '\u017F' => 's',
                '\u212A' => 'k',
                _ => c,
            };
        }
    });

    [GeneratedRegex(@"\A-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLiteral();
}
