using System.Globalization;

namespace Flock.Sandbox.Patching;

/// <summary>A parsed RFC 6901 JSON pointer ("" is the whole document; ~1 is '/', ~0 is '~').</summary>
public sealed class JsonPointer
{
    private JsonPointer(string text, IReadOnlyList<string> tokens)
    {
        Text = text;
        Tokens = tokens;
    }

    public string Text { get; }

    public IReadOnlyList<string> Tokens { get; }

    public bool IsRoot => Tokens.Count == 0;

    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return new JsonPointer(text, []);
        }

        if (text[0] != '/')
        {
            throw new PatchException($"JSON pointer must be empty or start with a \"/\": {text}", 400);
        }

        var tokens = text[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        return new JsonPointer(text, tokens);
    }

    /// <summary>True when this pointer is a proper prefix of <paramref name="other"/>.</summary>
    public bool IsProperPrefixOf(JsonPointer other) =>
        other.Tokens.Count > Tokens.Count && Tokens.Select((t, i) => other.Tokens[i] == t).All(x => x);

    /// <summary>Parses an array index token; "-" is not an index here.</summary>
    internal static bool TryIndex(string token, out int index)
    {
        index = -1;
        if (token.Length == 0 || (token.Length > 1 && token[0] == '0'))
        {
            return false;
        }

        return token.All(char.IsAsciiDigit) && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    public override string ToString() => Text;
}
