using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>
/// Server-side apply (application/apply-patch+yaml) in the structured-merge-diff model the apiserver uses.
/// </summary>
/// <remarks>
/// The caller (the HTTP layer) is expected to: parse the YAML body to JSON; check the name/namespace/apiVersion/kind
/// match the URL; enforce metadata.resourceVersion in the applied configuration as a precondition; default and
/// validate the result; bump resourceVersion/generation when <see cref="ApplyOutcome.Changed"/>; and, for a
/// subresource, pass a schema whose reset fields are the ones that endpoint ignores
/// (<see cref="ApplySchema.WithResetFields"/>) and the subresource name. This engine keeps the live values of
/// metadata.uid, resourceVersion, creationTimestamp, generation, deletionTimestamp, deletionGracePeriodSeconds,
/// name and namespace, and of the schema's reset fields (status on a main resource with a status subresource);
/// it never records ownership of them.
/// </remarks>
public static class ServerSideApply
{
    /// <summary>The annotation client-side kubectl apply keeps its last applied configuration in.</summary>
    public const string LastAppliedAnnotation = "kubectl.kubernetes.io/last-applied-configuration";

    private static readonly string[] ServerOwnedMetadata =
        ["name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"];

    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> onto <paramref name="live"/> (null to create).
    /// The applier then owns exactly the fields of its configuration; fields it owned before and no longer applies are
    /// removed unless another manager owns them; fields another manager owns with a different value are conflicts unless
    /// <paramref name="force"/>, which transfers them; equal values become shared. For manager "kubectl", conflicts
    /// only on fields recorded in the client-side last-applied annotation are taken over without force, and that
    /// annotation is rewritten, as the apiserver does when upgrading from client-side apply.
    /// </summary>
    public static ApplyOutcome Apply(JsonObject? live, JsonObject applied, string manager, bool force, ApplySchema schema, DateTimeOffset now, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentException.ThrowIfNullOrEmpty(manager);
        if (applied["metadata"] is JsonObject appliedMeta && appliedMeta.ContainsKey("managedFields"))
        {
            throw new PatchException("metadata.managedFields must be nil", 400);
        }

        var apiVersion = applied["apiVersion"] is JsonValue av && av.TryGetValue<string>(out var a) ? a : null;
        var liveVersion = live?["apiVersion"] is JsonValue lv && lv.TryGetValue<string>(out var l) ? l : null;
        if (live is not null && apiVersion is not null && liveVersion is not null && apiVersion != liveVersion)
        {
            throw new PatchException($"Incorrect version specified in apply patch. Specified patch version: {apiVersion}, expected: {liveVersion}", 400);
        }

        var reset = FieldSets.TopLevel(schema.ResetFields);
        var managers = ManagedFieldsCodec.Decode(live);
        var liveStripped = live is null ? new JsonObject() : ManagedFieldsCodec.WithoutManagedFields(live);

        var configSet = OwnershipUpdate.Sanitize(FieldSets.Of(applied, schema.Root, strict: true), reset);
        var id = ManagerEntry.Identify(manager, ManagedFieldsCodec.ApplyOperation, null, subresource);
        var entry = managers.Find(m => m.Id == id);
        var isNewEntry = entry is null;
        var lastSet = entry?.Fields;
        if (entry is null)
        {
            entry = new ManagerEntry { Manager = manager, Operation = ManagedFieldsCodec.ApplyOperation, Subresource = subresource, Fields = configSet };
            managers.Add(entry);
        }

        entry.Fields = configSet;
        entry.ApiVersion = apiVersion ?? liveVersion;

        var merged = (JsonObject)ObjectMerge.Merge(liveStripped, true, applied, true, schema.Root, [])!;
        if (lastSet is not null && !lastSet.IsEmpty)
        {
            var ownedNow = managers.Aggregate(new FieldSet(), (acc, m) => acc.Union(m.Fields));
            merged = (JsonObject)ObjectMerge.Prune(
                merged,
                schema.Root,
                FieldSets.EnsureNamedFieldsAreMembers(lastSet, schema.Root),
                FieldSets.EnsureNamedFieldsAreMembers(ownedNow, schema.Root))!;
        }

        KeepServerFields(merged, live is null ? null : liveStripped, schema);

        var change = OwnershipUpdate.CompareOwned(liveStripped, merged, schema);
        var others = managers.Where(m => !ReferenceEquals(m, entry)).ToList();
        var conflicts = OwnershipUpdate.Conflicts(others, change);
        if (conflicts.Count > 0 && !force)
        {
            var list = conflicts
                .SelectMany(c => c.Conflicts.Paths().Select(p => (c.Entry, Path: p)))
                .OrderBy(c => c.Entry.Manager, StringComparer.Ordinal)
                .ThenBy(c => c.Entry.Operation, StringComparer.Ordinal)
                .Select(c => new ApplyConflict(c.Entry.Manager, FieldSet.PathString(c.Path))
                {
                    Operation = c.Entry.Operation,
                    ApiVersion = c.Entry.ApiVersion,
                    Subresource = c.Entry.Subresource,
                })
                .ToList();
            if (!(manager == "kubectl" && AllowedByLastApplied(live, liveStripped, schema, conflicts)))
            {
                return ApplyOutcome.Conflicted(list);
            }
        }

        OwnershipUpdate.TakeOver(others, change);

        var changed = !JsonValues.Equal(liveStripped, merged);
        if (changed || isNewEntry || entry.Time is null)
        {
            entry.Time = ManagedFieldsCodec.FormatTime(now);
        }

        if (manager == "kubectl" && HasLastApplied(merged))
        {
            SetLastApplied(merged, applied);
        }

        ManagedFieldsCodec.Write(merged, managers);
        return ApplyOutcome.Success(merged, changed);
    }

    private static void KeepServerFields(JsonObject merged, JsonObject? live, ApplySchema schema)
    {
        foreach (var field in schema.ResetFields)
        {
            if (live is not null && live.TryGetPropertyValue(field, out var value))
            {
                merged[field] = value?.DeepClone();
            }
            else
            {
                merged.Remove(field);
            }
        }

        if (live is null)
        {
            return;
        }

        if (merged["metadata"] is not JsonObject metadata)
        {
            metadata = new JsonObject();
            merged["metadata"] = metadata;
        }

        var liveMeta = live["metadata"] as JsonObject;
        foreach (var name in ServerOwnedMetadata)
        {
            if (liveMeta is not null && liveMeta.TryGetPropertyValue(name, out var value))
            {
                metadata[name] = value?.DeepClone();
            }
            else
            {
                metadata.Remove(name);
            }
        }
    }

    private static bool AllowedByLastApplied(JsonObject? live, JsonObject liveStripped, ApplySchema schema,
        List<(ManagerEntry Entry, FieldSet Conflicts)> conflicts)
    {
        if (live?["metadata"]?["annotations"]?[LastAppliedAnnotation] is not JsonValue v ||
            !v.TryGetValue<string>(out var text) || text.Length == 0)
        {
            return false;
        }

        JsonObject? lastApplied;
        try
        {
            lastApplied = JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }

        if (lastApplied is null || lastApplied["apiVersion"]?.ToString() != live["apiVersion"]?.ToString())
        {
            return false;
        }

        FieldSet allowed;
        try
        {
            var set = FieldSets.Of(lastApplied, schema.Root);
            var cmp = Comparison.Compare(lastApplied, liveStripped, schema.Root);
            allowed = set.Difference(cmp.Modified).Difference(cmp.Added).Difference(cmp.Removed);
        }
        catch (PatchException)
        {
            return false;
        }

        return conflicts.All(c => c.Conflicts.Paths().All(allowed.Has));
    }

    private static bool HasLastApplied(JsonObject obj) =>
        obj["metadata"]?["annotations"]?[LastAppliedAnnotation] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0;

    private static void SetLastApplied(JsonObject obj, JsonObject applied)
    {
        var copy = (JsonObject)applied.DeepClone();
        if (copy["metadata"]?["annotations"] is JsonObject annotations)
        {
            annotations.Remove(LastAppliedAnnotation);
        }

        var annotationsOut = (JsonObject)obj["metadata"]!["annotations"]!;
        // encoding/json output: keys sorted, compact, followed by a newline.
        annotationsOut[LastAppliedAnnotation] = JsonValues.ToJson(SortKeys(copy)) + "\n";
    }

    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new KeyValuePair<string, JsonNode?>(p.Key, SortKeys(p.Value)))),
        JsonArray a => new JsonArray(a.Select(SortKeys).ToArray()),
        _ => node?.DeepClone(),
    };
}
