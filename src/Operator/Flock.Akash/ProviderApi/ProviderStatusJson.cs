using System.Text.Json;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// Parses a provider's /status body. The gateway always writes the three sections (provider service.go Status fills
/// cluster, bidengine and manifest, or the handler answers an error status instead), so a 200 without them is not a
/// provider status — a captive portal, a proxy page, a different service — and becomes a <see cref="FormatException"/>
/// naming what is missing. Unknown members are ignored (newer providers add fields).
/// </summary>
internal static class ProviderStatusJson
{
    public static ProviderStatus Parse(ReadOnlySpan<byte> body)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException e)
        {
            throw new FormatException($"the body is not JSON ({e.Message})");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"the body is a JSON {root.ValueKind}, not an object");
            }

            return new ProviderStatus(
                Text(root, "address") ?? string.Empty,
                Counter(root, "cluster", "leases"),
                Counter(root, "bidengine", "orders"),
                Counter(root, "manifest", "deployments"),
                Text(root, "cluster_public_hostname"));
        }
    }

    private static long Counter(JsonElement root, string section, string name)
    {
        if (!root.TryGetProperty(section, out var s) || s.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"\"{section}\" is missing or not an object");
        }

        // uint32 in Go: a whole number, never negative.
        return s.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new FormatException($"\"{section}.{name}\" is missing or not a count");
    }

    private static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new FormatException($"\"{name}\" is a JSON {v.ValueKind}, not a string");
}
