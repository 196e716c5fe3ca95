using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Flock.Crds.V1Alpha1;

/// <summary>
/// Writes times as metav1.Time does: RFC 3339 in UTC with second precision ("2026-11-25T07:00:00Z"),
/// so a time that round-trips through the apiserver compares equal and a status write is not repeated.
/// </summary>
public sealed class Rfc3339TimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a time must be a string");
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
        => writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
