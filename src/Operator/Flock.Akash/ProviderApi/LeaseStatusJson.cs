using System.Text.Json;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// Parses the provider's lease status body. Anything malformed becomes a <see cref="FormatException"/> naming the
/// member, which the client turns into <see cref="ProviderErrorKind.BadResponse"/>; unknown members are ignored
/// (newer providers add fields).
/// </summary>
internal static class LeaseStatusJson
{
    public static LeaseStatus Parse(ReadOnlySpan<byte> body)
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

            return new LeaseStatus(
                Map(root, "services", (name, e) => Service(name, e)),
                Map<IReadOnlyList<ForwardedPortStatus>>(root, "forwarded_ports", (name, e) => List(e, $"forwarded_ports.{name}", Port)),
                Map<IReadOnlyList<LeasedIpStatus>>(root, "ips", (name, e) => List(e, $"ips.{name}", Ip)),
                root.TryGetProperty("errors", out var errors) && errors.ValueKind != JsonValueKind.Null
                    ? List(errors, "errors", (e, path) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new FormatException($"{path} is not a string"))
                    : []);
        }
    }

    private static Dictionary<string, T> Map<T>(JsonElement root, string name, Func<string, JsonElement, T> item)
    {
        var result = new Dictionary<string, T>(StringComparer.Ordinal);
        if (!root.TryGetProperty(name, out var e) || e.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"\"{name}\" is a JSON {e.ValueKind}, not an object");
        }

        foreach (var p in e.EnumerateObject())
        {
            result[p.Name] = item(p.Name, p.Value);
        }

        return result;
    }

    private static List<T> List<T>(JsonElement e, string path, Func<JsonElement, string, T> item)
    {
        if (e.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException($"\"{path}\" is a JSON {e.ValueKind}, not an array");
        }

        return e.EnumerateArray().Select((x, i) => item(x, $"{path}[{i}]")).ToList();
    }

    private static ServiceStatus Service(string name, JsonElement e)
    {
        var path = $"services.{name}";
        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"\"{path}\" is a JSON {e.ValueKind}, not an object");
        }

        return new ServiceStatus(
            Str(e, "name", path) ?? name,
            Int(e, "available", path),
            Int(e, "total", path),
            e.TryGetProperty("uris", out var uris) ? List(uris, path + ".uris", (u, p) => u.ValueKind == JsonValueKind.String ? u.GetString()! : throw new FormatException($"\"{p}\" is not a string")) : [],
            Long(e, "observed_generation", path),
            Int(e, "replicas", path),
            Int(e, "updated_replicas", path),
            Int(e, "ready_replicas", path),
            Int(e, "available_replicas", path));
    }

    private static ForwardedPortStatus Port(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object
            ? new ForwardedPortStatus(Str(e, "host", path) ?? string.Empty, Int(e, "port", path), Int(e, "externalPort", path), Str(e, "proto", path) ?? string.Empty, Str(e, "name", path) ?? string.Empty)
            : throw new FormatException($"\"{path}\" is not an object");

    private static LeasedIpStatus Ip(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object
            ? new LeasedIpStatus((uint)Long(e, "Port", path), (uint)Long(e, "ExternalPort", path), Str(e, "Protocol", path) ?? string.Empty, Str(e, "IP", path) ?? string.Empty)
            : throw new FormatException($"\"{path}\" is not an object");

    private static string? Str(JsonElement e, string name, string path)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.String ? v.GetString() : throw new FormatException($"\"{path}.{name}\" is a JSON {v.ValueKind}, not a string");
    }

    private static int Int(JsonElement e, string name, string path)
    {
        var n = Long(e, name, path);
        return n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new FormatException($"\"{path}.{name}\" is out of range");
    }

    private static long Long(JsonElement e, string name, string path)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : throw new FormatException($"\"{path}.{name}\" is not an integer");
    }
}
