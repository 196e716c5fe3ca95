using System.Text.Json;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// Environment values of a manifest (they carry API keys and tokens): collected so that any provider error text
/// that echoes one is redacted before it reaches an exception or a log.
/// </summary>
internal static class ManifestSecrets
{
    private const int MinLength = 4;

    public static IReadOnlyCollection<string> ValuesOf(string manifestJson)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(manifestJson);
            Collect(doc.RootElement, values);
        }
        catch (JsonException)
        {
            // Not JSON: the provider will say so (422); nothing to redact from a manifest we cannot read.
        }

        return values;
    }

    public static string Redact(string text, IReadOnlyCollection<string> secrets)
    {
        foreach (var s in secrets.OrderByDescending(s => s.Length))
        {
            text = text.Replace(s, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static void Collect(JsonElement e, HashSet<string> values)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "env" && p.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var item in p.Value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                        {
                            var kv = item.GetString()!;
                            var eq = kv.IndexOf('=', StringComparison.Ordinal);
                            var value = eq >= 0 ? kv[(eq + 1)..] : kv;
                            if (value.Length >= MinLength)
                            {
                                values.Add(value);
                                values.Add(kv);
                            }
                        }
                    }
                    else
                    {
                        Collect(p.Value, values);
                    }
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    Collect(item, values);
                }

                break;
        }
    }
}
