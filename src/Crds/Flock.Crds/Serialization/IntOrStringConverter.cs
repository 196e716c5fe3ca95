using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flock.Crds.Serialization;

/// <summary>
/// Reads an int-or-string field (a quantity written as <c>cpu: 8</c> or <c>cpu: "8"</c>) into a string,
/// so both spellings a user may apply deserialise; writes it back as a string.
/// </summary>
public sealed class IntOrStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number when reader.TryGetInt64(out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Number => reader.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"expected an integer or a string, found {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
