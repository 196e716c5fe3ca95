using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The CRD controllers: establishing (serving) CRDs and finalizing deleted ones with their custom resources.</summary>
internal sealed partial class ClusterControllers
{
    private static readonly ApiResource Crds = BuiltinResources.Find("apiextensions.k8s.io", "customresourcedefinitions")!;
    private const string CrdFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private readonly Dictionary<string, long> _servedCrds = new(StringComparer.Ordinal);

    private bool Crd()
    {
        var changed = false;
        var table = _m.Store.Table(Crds);
        foreach (var crd in table.Snapshot(null).Items)
        {
            if (Deleting(crd))
            {
                changed |= FinalizeCrd(crd);
                continue;
            }

            var establishedAt = Json.Path(crd.Object, "metadata", "creationTimestamp") is { } created && Json.ParseTime(created) is { } t
                ? t + _options.CrdEstablishDelay
                : _clock.GetUtcNow();
            if (_clock.GetUtcNow() < establishedAt)
            {
                Wake();
                continue;
            }

            if (!_servedCrds.TryGetValue(crd.Name, out var servedRv) || servedRv != crd.ResourceVersion)
            {
                _m.Catalog.SetCrd(crd.Name, ResourceCatalog.FromCrd(crd.Object));
                _servedCrds[crd.Name] = crd.ResourceVersion;
            }

            if (NeedsStatus(crd.Object))
            {
                _m.UpdateInternal(Crds, null, crd.Name, _internal, SetEstablished);
                changed = true;
            }
        }

        // CRDs gone from the store stop being served.
        foreach (var r in _m.Catalog.All.Where(r => r.IsCustom).Select(r => $"{r.Plural}.{r.Group}").Distinct().ToList())
        {
            if (table.Get(null, r) is null)
            {
                _m.Catalog.SetCrd(r, []);
                _m.Store.RemoveTable(r);
                _servedCrds.Remove(r);
            }
        }

        return changed;
    }

    private static bool NeedsStatus(JsonObject crd)
    {
        var conditions = crd["status"]?["conditions"] as JsonArray;
        var established = conditions?.OfType<JsonObject>().Any(c => Json.Str(c, "type") == "Established" && Json.Str(c, "status") == "True") == true;
        return !established || !JsonNode.DeepEquals(crd["status"]?["acceptedNames"], AcceptedNames(crd));
    }

    private static JsonObject AcceptedNames(JsonObject crd)
    {
        var names = (JsonObject)(crd["spec"]?["names"]?.DeepClone() ?? new JsonObject());
        if (names["singular"] is null && Json.Str(names, "kind") is { } kind) names["singular"] = kind.ToLowerInvariant();
        if (names["listKind"] is null && Json.Str(names, "kind") is { } k) names["listKind"] = k + "List";
        return names;
    }

    private void SetEstablished(JsonObject crd)
    {
        var now = Json.Rfc3339(_clock.GetUtcNow());
        var status = Json.Obj(crd, "status");
        status["acceptedNames"] = AcceptedNames(crd);
        status["conditions"] = new JsonArray(
            new JsonObject
            {
                ["type"] = "NamesAccepted",
                ["status"] = "True",
                ["lastTransitionTime"] = now,
                ["reason"] = "NoConflicts",
                ["message"] = "no conflicts found",
            },
            new JsonObject
            {
                ["type"] = "Established",
                ["status"] = "True",
                ["lastTransitionTime"] = now,
                ["reason"] = "InitialNamesAccepted",
                ["message"] = "the initial names have been accepted",
            });
        var stored = Json.StringList(status["storedVersions"]);
        var storage = (crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true);
        if (storage is not null && Json.Str(storage, "name") is { } sv && !stored.Contains(sv)) stored.Add(sv);
        status["storedVersions"] = Json.Array(stored);
    }

    private bool FinalizeCrd(StoredObject crd)
    {
        if (!Finalizers(crd).Contains(CrdFinalizer)) return false;
        var resources = _m.Catalog.ForCrd(crd.Name);
        if (!resources.IsEmpty)
        {
            var r = resources[0];
            var items = _m.Store.Table(r).Snapshot(null).Items;
            if (items.Count > 0)
            {
                var changed = false;
                foreach (var item in items.Where(i => !Deleting(i)))
                {
                    TryDelete(r, item);
                    changed = true;
                }

                MarkCrdTerminating(crd);
                return changed;
            }
        }

        // Stop serving before the CRD goes: once it is gone, discovery no longer lists it.
        _m.Catalog.SetCrd(crd.Name, []);
        _m.Store.RemoveTable(crd.Name);
        _servedCrds.Remove(crd.Name);
        _m.UpdateInternal(Crds, null, crd.Name, _internal, o =>
        {
            var f = Json.StringList(o["metadata"]?["finalizers"]);
            f.Remove(CrdFinalizer);
            Json.Meta(o)["finalizers"] = Json.Array(f);
        });
        return true;
    }

    private void MarkCrdTerminating(StoredObject crd)
    {
        var conditions = crd.Object["status"]?["conditions"] as JsonArray;
        if (conditions?.OfType<JsonObject>().Any(c => Json.Str(c, "type") == "Terminating") == true) return;
        _m.UpdateInternal(Crds, null, crd.Name, _internal, o =>
        {
            var list = Json.Obj(o, "status")["conditions"] as JsonArray ?? [];
            list.Add(new JsonObject
            {
                ["type"] = "Terminating",
                ["status"] = "True",
                ["lastTransitionTime"] = Json.Rfc3339(_clock.GetUtcNow()),
                ["reason"] = "InstanceDeletionInProgress",
                ["message"] = "CustomResource deletion is in progress",
            });
            Json.Obj(o, "status")["conditions"] = list.DeepClone();
        });
    }
}
