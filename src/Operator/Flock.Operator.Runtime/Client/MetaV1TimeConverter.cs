using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flock.Operator.Runtime.Client;

/// <summary>
/// Times as metav1.Time has them: RFC 3339 in UTC with second precision ("2026-11-25T07:00:00Z"). Anything finer
/// would not survive the round trip through the API server, so a status would never compare equal and be rewritten.
/// </summary>
public sealed class MetaV1TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a time must be a string");
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
