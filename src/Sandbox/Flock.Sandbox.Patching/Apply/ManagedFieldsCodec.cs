using System.Globalization;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>One manager's record: who, how, at which version, when, and which fields.</summary>
internal sealed class ManagerEntry
{
    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public string? ApiVersion { get; set; }

    public string? Subresource { get; init; }

    public string? Time { get; set; }

    public required FieldSet Fields { get; set; }

    /// <summary>The manager identity (fieldmanager BuildManagerIdentifier): the API version counts only for Update.</summary>
    public string Id => Identify(Manager, Operation, Operation == "Apply" ? null : ApiVersion, Subresource);

    public static string Identify(string manager, string operation, string? apiVersion, string? subresource) =>
        $"{manager}\u0000{operation}\u0000{apiVersion}\u0000{subresource}";
}

/// <summary>Reads and writes metadata.managedFields.</summary>
internal static class ManagedFieldsCodec
{
    public const string ApplyOperation = "Apply";

    public static List<ManagerEntry> Decode(JsonObject? obj)
    {
        var result = new List<ManagerEntry>();
        if (obj?["metadata"]?["managedFields"] is not JsonArray entries)
        {
            return result;
        }

        foreach (var node in entries)
        {
            if (node is not JsonObject e) continue;
            var manager = Str(e, "manager") ?? string.Empty;
            var operation = Str(e, "operation") ?? string.Empty;
            var entry = new ManagerEntry
            {
                Manager = manager,
                Operation = operation,
                ApiVersion = Str(e, "apiVersion"),
                Subresource = Str(e, "subresource"),
                Time = Str(e, "time"),
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject),
            };
            var existing = result.FindIndex(x => x.Id == entry.Id);
            if (existing >= 0)
            {
                result[existing].Fields = result[existing].Fields.Union(entry.Fields);
            }
            else
            {
                result.Add(entry);
            }
        }

        return result;
    }

    /// <summary>
    /// Encodes entries in the apiserver's order (operation, then time, manager, apiVersion, subresource),
    /// dropping managers that own nothing.
    /// </summary>
    public static JsonArray Encode(IEnumerable<ManagerEntry> entries)
    {
        var ordered = entries.Where(e => !e.Fields.IsEmpty)
            .OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => Seconds(e.Time))
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? string.Empty, StringComparer.Ordinal);
        var array = new JsonArray();
        foreach (var e in ordered)
        {
            var obj = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
            };
            if (e.ApiVersion is not null) obj["apiVersion"] = e.ApiVersion;
            if (e.Time is not null) obj["time"] = e.Time;
            obj["fieldsType"] = "FieldsV1";
            obj["fieldsV1"] = e.Fields.ToFieldsV1();
            if (!string.IsNullOrEmpty(e.Subresource)) obj["subresource"] = e.Subresource;
            array.Add(obj);
        }

        return array;
    }

    /// <summary>RFC 3339 with whole seconds in UTC, as metav1.Time marshals.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static long Seconds(string? time) =>
        time is not null && DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUnixTimeSeconds()
            : 0;

    private static string? Str(JsonObject e, string name) =>
        e[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Writes managedFields into the object's metadata (removing the key when there are none).</summary>
    public static void Write(JsonObject obj, IEnumerable<ManagerEntry> entries)
    {
        var encoded = Encode(entries);
        if (obj["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            obj["metadata"] = metadata;
        }

        if (encoded.Count == 0)
        {
            metadata.Remove("managedFields");
        }
        else
        {
            metadata["managedFields"] = encoded;
        }
    }

    /// <summary>A deep copy without metadata.managedFields.</summary>
    public static JsonObject WithoutManagedFields(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}
