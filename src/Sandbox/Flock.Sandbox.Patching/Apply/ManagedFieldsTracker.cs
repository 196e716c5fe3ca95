using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>managedFields bookkeeping for writes that are not apply (create, update, patch): operation "Update".</summary>
public static class ManagedFieldsTracker
{
    /// <summary>
    /// Returns a copy of <paramref name="newObj"/> whose metadata.managedFields record this write: the manager
    /// gains the fields it added or changed (merged into its existing Update entry for the same API version, whose
    /// time becomes <paramref name="now"/>), and every other manager loses the fields changed or removed. A write
    /// that changes nothing leaves managedFields as they were. managedFields sent in <paramref name="newObj"/> are used
    /// when present (clients may set them); otherwise those of <paramref name="oldObj"/>. For a create pass
    /// <paramref name="oldObj"/> null: ownership is then computed against the schema's zero object, as the apiserver
    /// diffs against an empty Go struct.
    /// </summary>
    public static JsonObject RecordUpdate(JsonObject? oldObj, JsonObject newObj, string manager, string operation,
        string apiVersion, DateTimeOffset now, ApplySchema? schema = null, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(newObj);
        ArgumentException.ThrowIfNullOrEmpty(manager);
        schema ??= ApplySchema.Builtin(apiVersion, newObj["kind"]?.ToString() ?? string.Empty);

        var managers = ManagedFieldsCodec.Decode(newObj);
        if (managers.Count == 0 || !string.IsNullOrEmpty(subresource))
        {
            managers = ManagedFieldsCodec.Decode(oldObj);
        }

        var before = oldObj is null ? (JsonObject)schema.ZeroObject.DeepClone() : ManagedFieldsCodec.WithoutManagedFields(oldObj);
        var after = ManagedFieldsCodec.WithoutManagedFields(newObj);
        var change = OwnershipUpdate.CompareOwned(before, after, schema);

        var id = ManagerEntry.Identify(manager, operation, operation == ManagedFieldsCodec.ApplyOperation ? null : apiVersion, subresource);
        // The write runs as a temporary manager, so the writer's own previous entry loses what changed like any other.
        OwnershipUpdate.TakeOver(managers, change);
        var gained = change.Modified.Union(change.Added);
        if (!gained.IsEmpty)
        {
            var entry = managers.Find(m => m.Id == id);
            if (entry is null)
            {
                entry = new ManagerEntry { Manager = manager, Operation = operation, ApiVersion = apiVersion, Subresource = subresource, Fields = new FieldSet() };
                managers.Add(entry);
            }

            entry.Fields = entry.Fields.Union(gained);
            entry.ApiVersion = apiVersion;
            entry.Time = ManagedFieldsCodec.FormatTime(now);
        }

        var result = (JsonObject)newObj.DeepClone();
        ManagedFieldsCodec.Write(result, managers);
        return result;
    }
}
