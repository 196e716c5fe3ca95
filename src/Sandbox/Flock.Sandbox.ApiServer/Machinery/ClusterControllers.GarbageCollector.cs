using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The garbage collector: ownerReferences, and the orphan and foregroundDeletion finalizers.</summary>
internal sealed partial class ClusterControllers
{
    private static IEnumerable<(ApiResource Resource, StoredObject Obj)> Resolve(IEnumerable<(ResourceTable Table, string Key)> keys)
    {
        foreach (var (table, key) in keys.ToList())
        {
            var slash = key.IndexOf('/');
            var o = slash < 0 ? table.Get(null, key) : table.Get(key[..slash], key[(slash + 1)..]);
            if (o is not null) yield return (table.Resource, o);
        }
    }

    private StoredObject? Live(string uid)
    {
        if (!_liveUids.TryGetValue(uid, out var at)) return null;
        var slash = at.Key.IndexOf('/');
        var o = slash < 0 ? at.Table.Get(null, at.Key) : at.Table.Get(at.Key[..slash], at.Key[(slash + 1)..]);
        return o?.Uid == uid ? o : null;
    }

    /// <summary>
    /// The owner an ownerReference resolves to as the garbage collector resolves it: the object of that kind
    /// and name in the dependent's namespace (or cluster-scoped) whose uid matches; null when absent.
    /// </summary>
    private StoredObject? Owner(StoredObject dependent, string uid)
    {
        var owner = Live(uid);
        if (owner is null) return null;
        var reference = (dependent.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(r => Json.Str(r, "uid") == uid);
        if (reference is null) return null;
        if (Json.Str(reference, "name") != owner.Name || Json.Str(reference, "kind") != Json.Str(owner.Object, "kind")) return null;
        if (owner.Namespace.Length > 0 && owner.Namespace != dependent.Namespace) return null;
        return owner;
    }

    private bool GarbageCollect()
    {
        var changed = false;
        var dependents = Resolve(_dependents.Keys).ToList();
        var deleting = Resolve(_deleting.Keys).ToList();

        // Owners being deleted with the orphan finalizer: release the dependents, then drop the finalizer.
        foreach (var (r, owner) in deleting.Where(x => Finalizers(x.Obj).Contains("orphan")))
        {
            foreach (var (dr, dependent) in dependents.Where(x => OwnerUids(x.Obj).Contains(owner.Uid)))
            {
                TryUpdate(dr, dependent, o => RemoveOwnerRefs(o, [owner.Uid]));
            }

            TryUpdate(r, owner, o => RemoveFinalizer(o, "orphan"));
            changed = true;
        }

        // The dependents read above may have just been released: decide on them in the next pass.
        if (changed) return true;

        foreach (var (r, dependent) in dependents)
        {
            var refs = OwnerUids(dependent);
            if (refs.Count == 0 || Deleting(dependent)) continue;
            var owners = refs.Select(u => (Uid: u, Obj: Owner(dependent, u))).ToList();
            var dead = owners.Where(o => o.Obj is null).Select(o => o.Uid).ToList();
            var foregroundOwner = owners.Any(o => o.Obj is not null && Deleting(o.Obj) && Finalizers(o.Obj).Contains("foregroundDeletion"));
            if (dead.Count == refs.Count || foregroundOwner)
            {
                var policy = Finalizers(dependent).Contains("orphan") ? "Orphan" : foregroundOwner ? "Foreground" : "Background";
                TryDelete(r, dependent, policy, dependent.ResourceVersion);
                changed = true;
            }
            else if (dead.Count > 0)
            {
                TryUpdate(r, dependent, o => RemoveOwnerRefs(o, dead));
                changed = true;
            }
        }

        // Foreground deletion completes when no dependent that blocks it is left.
        foreach (var (r, owner) in deleting.Where(x => Finalizers(x.Obj).Contains("foregroundDeletion")))
        {
            var blocking = Resolve(_dependents.Keys).Any(x => (x.Obj.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
                .Any(o => Json.Str(o, "uid") == owner.Uid && o["blockOwnerDeletion"]?.GetValue<bool>() == true));
            if (!blocking)
            {
                TryUpdate(r, owner, o => RemoveFinalizer(o, "foregroundDeletion"));
                changed = true;
            }
        }

        return changed;
    }

    private static List<string> OwnerUids(StoredObject o) =>
        (o.Object["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Select(r => Json.Str(r, "uid") ?? "").Where(u => u.Length > 0).ToList();

    private static void RemoveOwnerRefs(JsonObject o, IReadOnlyCollection<string> uids)
    {
        var meta = Json.Meta(o);
        if (meta["ownerReferences"] is not JsonArray refs) return;
        var kept = new JsonArray(refs.OfType<JsonObject>().Where(r => !uids.Contains(Json.Str(r, "uid") ?? "")).Select(r => (JsonNode?)r.DeepClone()).ToArray());
        meta.Remove("ownerReferences");
        if (kept.Count > 0) meta["ownerReferences"] = kept;
    }

    private static void RemoveFinalizer(JsonObject o, string finalizer)
    {
        var meta = Json.Meta(o);
        var f = Json.StringList(meta["finalizers"]);
        f.Remove(finalizer);
        meta.Remove("finalizers");
        if (f.Count > 0) meta["finalizers"] = Json.Array(f);
    }
}
