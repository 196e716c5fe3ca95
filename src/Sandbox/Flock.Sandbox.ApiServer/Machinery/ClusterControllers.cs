using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// The control-plane loops a bare apiserver relies on: the CRD establishing and finalizing
/// controllers, the namespace lifecycle controller and the garbage collector (ownerReferences,
/// orphan and foregroundDeletion finalizers). One background loop, woken after every deletion.
/// </summary>
internal sealed class ClusterControllers : IAsyncDisposable
{
    private static readonly ApiResource Crds = BuiltinResources.Find("apiextensions.k8s.io", "customresourcedefinitions")!;
    private static readonly ApiResource Namespaces = BuiltinResources.Find("", "namespaces")!;
    private const string CrdFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    private readonly ApiMachinery _m;
    private readonly SandboxOptions _options;
    private readonly TimeProvider _clock;
    /// <summary>Every live object by uid (what the GC's owner lookups need).</summary>
    private readonly ConcurrentDictionary<string, (ResourceTable Table, string Key)> _liveUids = new(StringComparer.Ordinal);

    /// <summary>Objects with ownerReferences, and objects being deleted: all the GC ever has to look at.</summary>
    private readonly ConcurrentDictionary<(ResourceTable Table, string Key), byte> _dependents = new();

    private readonly ConcurrentDictionary<(ResourceTable Table, string Key), byte> _deleting = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly HashSet<string> _defaultAccounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _servedCrds = new(StringComparer.Ordinal);
    private readonly WriteOptions _internal = WriteOptions.ForController("sandbox-controllers");

    private readonly string? _rootCaPem;

    public ClusterControllers(ApiMachinery machinery, SandboxOptions options, TimeProvider clock, string? rootCaPem = null)
    {
        _rootCaPem = rootCaPem;
        _m = machinery;
        _options = options;
        _clock = clock;
        _m.Store.Committed += OnCommitted;
        _m.Activity += Wake;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Completes when a sweep that began after this call has finished (for tests and in-process callers).</summary>
    public async Task SettleAsync()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _settleWaiters.Enqueue(tcs);
        Wake();
        await tcs.Task.ConfigureAwait(false);
    }

    private readonly ConcurrentQueue<TaskCompletionSource> _settleWaiters = new();

    private void OnCommitted(ResourceTable table, StoreEvent e)
    {
        switch (e.Type)
        {
            case StoreEventType.Added or StoreEventType.Modified:
                {
                    var o = e.Object!;
                    var key = (table, o.Key);
                    _liveUids[o.Uid] = key;
                    if (o.Object["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 }) _dependents[key] = 0;
                    else _dependents.TryRemove(key, out _);
                    if (Deleting(o))
                    {
                        _deleting[key] = 0;
                        Wake();
                    }
                    else
                    {
                        _deleting.TryRemove(key, out _);
                    }

                    break;
                }

            case StoreEventType.Deleted:
                {
                    var key = (table, e.Previous!.Key);
                    _liveUids.TryRemove(e.Previous.Uid, out _);
                    _dependents.TryRemove(key, out _);
                    _deleting.TryRemove(key, out _);
                    break;
                }
        }

        if (table.Resource.Kind is "CustomResourceDefinition" or "Namespace" || e.Type == StoreEventType.Deleted) Wake();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0) _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(_options.GarbageCollectionInterval, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var waiters = new List<TaskCompletionSource>();
            while (_settleWaiters.TryDequeue(out var w)) waiters.Add(w);
            try
            {
                // Each pass can unblock the next (a finalizer removed, a dependent gone): run until quiet.
                for (var i = 0; i < 20 && Sweep(); i++)
                {
                }
            }
            catch (Exception e) when (e is ApiException or InvalidOperationException or KeyNotFoundException)
            {
                Wake();
            }

            foreach (var w in waiters) w.TrySetResult();
        }
    }

    /// <summary>One pass of every controller; true when it changed something.</summary>
    private bool Sweep()
    {
        var changed = false;
        changed |= Crd();
        changed |= NamespaceLifecycle();
        changed |= GarbageCollect();
        return changed;
    }

    private static bool Deleting(StoredObject o) => Json.Path(o.Object, "metadata", "deletionTimestamp") is not null;

    private static List<string> Finalizers(StoredObject o) => Json.StringList(o.Object["metadata"]?["finalizers"]);

    // ------------------------------------------------------------- CRDs

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

    // ------------------------------------------------------------- namespaces

    private static readonly ApiResource ServiceAccounts = BuiltinResources.Find("", "serviceaccounts")!;
    private static readonly ApiResource ConfigMaps = BuiltinResources.Find("", "configmaps")!;

    private bool NamespaceLifecycle()
    {
        var changed = false;
        var namespaces = _m.Store.Table(Namespaces).Snapshot(null).Items;

        // The service account controller: every active namespace gets a "default" ServiceAccount.
        var accounts = _m.Store.Table(ServiceAccounts);
        foreach (var ns in namespaces.Where(n => !Deleting(n) && !_defaultAccounts.Contains(n.Uid)))
        {
            if (accounts.Get(ns.Name, "default") is null)
            {
                try
                {
                    _m.Create(ServiceAccounts, ns.Name, new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "ServiceAccount",
                        ["metadata"] = new JsonObject { ["name"] = "default" },
                    }, WriteOptions.ForController("kube-controller-manager"));
                }
                catch (ApiException e) when (e.Code is 409 or 403 or 404)
                {
                }
            }

            // The root CA publisher: every namespace gets the kube-root-ca.crt ConfigMap.
            if (_rootCaPem is not null && _m.Store.Table(ConfigMaps).Get(ns.Name, "kube-root-ca.crt") is null)
            {
                try
                {
                    _m.Create(ConfigMaps, ns.Name, new JsonObject
                    {
                        ["apiVersion"] = "v1",
                        ["kind"] = "ConfigMap",
                        ["metadata"] = new JsonObject
                        {
                            ["name"] = "kube-root-ca.crt",
                            ["annotations"] = new JsonObject
                            {
                                ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.",
                            },
                        },
                        ["data"] = new JsonObject { ["ca.crt"] = _rootCaPem },
                    }, WriteOptions.ForController("kube-controller-manager"));
                }
                catch (ApiException e) when (e.Code is 409 or 403 or 404)
                {
                }
            }

            _defaultAccounts.Add(ns.Uid);
        }

        foreach (var ns in namespaces.Where(Deleting))
        {
            // (Only terminating namespaces cost a scan of the namespaced tables.)
            var remaining = 0;
            foreach (var table in _m.Store.Tables.Where(t => t.Resource.Namespaced).ToList())
            {
                foreach (var item in table.Snapshot(ns.Name).Items)
                {
                    remaining++;
                    if (!Deleting(item))
                    {
                        TryDelete(table.Resource, item);
                        changed = true;
                    }
                }
            }

            if (remaining == 0 && Json.StringList(ns.Object["spec"]?["finalizers"]).Count > 0)
            {
                _m.SetNamespaceFinalizers(ns.Name, new JsonArray(), _internal);
                changed = true;
            }
        }

        return changed;
    }

    // ------------------------------------------------------------- garbage collector

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

    private void TryUpdate(ApiResource r, StoredObject o, Action<JsonObject> change)
    {
        try
        {
            _m.UpdateInternal(r, o.Namespace.Length == 0 ? null : o.Namespace, o.Name, _internal, change);
        }
        catch (ApiException e) when (e.Code == 404)
        {
        }
    }

    private void TryDelete(ApiResource r, StoredObject o, string policy = "Background", long? resourceVersion = null)
    {
        try
        {
            _m.Delete(r, o.Namespace.Length == 0 ? null : o.Namespace, o.Name,
                new DeleteOptions
                {
                    PropagationPolicy = policy,
                    PreconditionUid = o.Uid,
                    PreconditionResourceVersion = resourceVersion?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }, _internal);
        }
        catch (ApiException e) when (e.Code is 404 or 409)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _m.Store.Committed -= OnCommitted;
        _m.Activity -= Wake;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _wake.Dispose();
    }
}
