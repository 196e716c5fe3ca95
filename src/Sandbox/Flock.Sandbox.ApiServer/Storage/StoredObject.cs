using System.Text.Json.Nodes;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Sandbox.ApiServer.Storage;

/// <summary>
/// One committed version of an object. Never mutated after commit: readers share it and clone the
/// node before changing anything.
/// </summary>
public sealed class StoredObject
{
    internal StoredObject(JsonObject obj, long rv)
    {
        Bytes = Json.ToBytes(obj);
        // Re-read from the bytes so every value is JSON-backed (as if decoded from the wire): readers may
        // ask any numeric type of a number, which values created from CLR longs and ints do not allow.
        Object = (JsonObject)JsonNode.Parse(Bytes)!;
        ResourceVersion = rv;
        var meta = Object["metadata"] as JsonObject;
        Name = Json.Str(meta, "name") ?? "";
        Namespace = Json.Str(meta, "namespace") ?? "";
        Uid = Json.Str(meta, "uid") ?? "";
        Labels = Json.StringMap(meta?["labels"]);
    }

    /// <summary>The object; treat as read-only.</summary>
    public JsonObject Object { get; }

    /// <summary>The object's compact UTF-8 JSON.</summary>
    public byte[] Bytes { get; }

    public long ResourceVersion { get; }
    public string Name { get; }
    public string Namespace { get; }
    public string Uid { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }

    public string Key => Key2(Namespace, Name);

    internal static string Key2(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    private byte[]? _itemBytes;

    /// <summary>
    /// The JSON of the object as an item of a built-in list: without kind and apiVersion, which the
    /// apiserver's typed list encoding leaves out (custom resource lists keep them).
    /// </summary>
    public byte[] ListItemBytes
    {
        get
        {
            if (_itemBytes is { } cached) return cached;
            var copy = CloneObject();
            copy.Remove("kind");
            copy.Remove("apiVersion");
            return _itemBytes = Json.ToBytes(copy);
        }
    }

    /// <summary>A deep copy to modify.</summary>
    public JsonObject CloneObject() => Json.Clone(Object);
}

public enum StoreEventType
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>A change of one table, as the watch cache keeps it.</summary>
internal sealed record StoreEvent(StoreEventType Type, StoredObject? Object, StoredObject? Previous, long ResourceVersion, JsonObject? ErrorStatus = null);
