using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer;

/// <summary>A change an in-process watcher sees.</summary>
public sealed record SandboxWatchEvent(string Type, JsonObject Object);

/// <summary>
/// The in-process API of the simulated cluster, for the controllers that play kubelet, scheduler and
/// the like. Writes go through the same registry rules as HTTP requests (admission, generation,
/// finalizers, watch events) with an admin identity; objects returned are copies.
/// </summary>
public sealed class SandboxStore
{
    private readonly ApiMachinery _m;
    private readonly ClusterControllers _controllers;
    private readonly int _watchCapacity;

    internal SandboxStore(ApiMachinery machinery, ClusterControllers controllers, int watchCapacity)
    {
        _m = machinery;
        _controllers = controllers;
        _watchCapacity = watchCapacity;
    }

    /// <summary>The resources served right now (built-ins plus established CRDs).</summary>
    public ResourceCatalog Catalog => _m.Catalog;

    /// <summary>The cluster's current resourceVersion.</summary>
    public long ResourceVersion => _m.Store.CurrentResourceVersion;

    /// <summary>Finds a served resource by apiVersion and kind (Pod) or plural (pods).</summary>
    public ApiResource Resource(string apiVersion, string kindOrPlural)
    {
        var slash = apiVersion.IndexOf('/');
        var group = slash < 0 ? "" : apiVersion[..slash];
        var version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        return _m.Catalog.Find(group, version, kindOrPlural) ?? _m.Catalog.FindByKind(group, version, kindOrPlural)
            ?? throw new KeyNotFoundException($"no resource {kindOrPlural} in {apiVersion}");
    }

    public JsonObject? Get(ApiResource r, string? ns, string name) =>
        _m.Store.Table(r).Get(r.Namespaced ? ns : null, name) is { } o ? ApiMachinery.ForVersion(r, o.CloneObject()) : null;

    public IReadOnlyList<JsonObject> List(ApiResource r, string? ns = null, string? labelSelector = null, string? fieldSelector = null) =>
        _m.List(r, ns, new ListOptions { LabelSelector = labelSelector, FieldSelector = fieldSelector }).Items
            .Select(i => ApiMachinery.ForVersion(r, i.CloneObject())).ToList();

    public JsonObject Create(ApiResource r, JsonObject obj, string manager = "sandbox") =>
        _m.Create(r, Json.Path(obj, "metadata", "namespace"), obj, Options(manager)).Object;

    /// <summary>Replaces the object (PUT semantics: .status is ignored where the status subresource exists).</summary>
    public JsonObject Update(ApiResource r, JsonObject obj, string manager = "sandbox") =>
        _m.Update(r, Json.Path(obj, "metadata", "namespace"), Json.Path(obj, "metadata", "name") ?? "", "", obj, Options(manager));

    /// <summary>Replaces .status through the status subresource.</summary>
    public JsonObject UpdateStatus(ApiResource r, JsonObject obj, string manager = "sandbox") =>
        _m.Update(r, Json.Path(obj, "metadata", "namespace"), Json.Path(obj, "metadata", "name") ?? "",
            r.HasStatusSubresource ? "status" : "", obj, Options(manager));

    /// <summary>Patches: type is merge, json, strategic or apply; subresource "" or "status".</summary>
    public JsonObject Patch(ApiResource r, string? ns, string name, string type, JsonNode patch, string manager = "sandbox",
        string subresource = "", bool force = false) =>
        _m.Patch(r, ns, name, subresource, type, patch, Options(manager) with { Force = force }).Object;

    /// <summary>Changes the stored object in place (read-modify-write with retries), bypassing the update strategy.</summary>
    public JsonObject Mutate(ApiResource r, string? ns, string name, Action<JsonObject> change) =>
        _m.UpdateInternal(r, r.Namespaced ? ns : null, name, WriteOptions.ForController("sandbox"), change);

    /// <summary>Deletes like DELETE (finalizers and propagation honoured); returns the object or Status.</summary>
    public JsonObject Delete(ApiResource r, string? ns, string name, string? propagationPolicy = null, long? gracePeriodSeconds = null) =>
        _m.Delete(r, ns, name, new DeleteOptions { PropagationPolicy = propagationPolicy, GracePeriodSeconds = gracePeriodSeconds },
            Options("sandbox")).Object;

    /// <summary>Waits until the garbage collector and the namespace and CRD controllers have caught up.</summary>
    public Task SettleAsync() => _controllers.SettleAsync();

    /// <summary>Watches a resource: current objects as ADDED first when <paramref name="fromResourceVersion"/> is null.</summary>
    public async IAsyncEnumerable<SandboxWatchEvent> WatchAsync(ApiResource r, string? ns = null, long? fromResourceVersion = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var table = _m.Store.Table(r);
        var w = table.Watch(fromResourceVersion, r.Namespaced ? ns : null, _watchCapacity);
        try
        {
            await foreach (var e in w.Channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (e.Type == StoreEventType.Error) throw new ApiException(e.ErrorStatus!);
                if (e.Type == StoreEventType.Bookmark || e.Object is null) continue;
                if (!string.IsNullOrEmpty(ns) && e.Object.Namespace != ns) continue;
                var type = e.Type switch
                {
                    StoreEventType.Added => "ADDED",
                    StoreEventType.Modified => "MODIFIED",
                    _ => "DELETED",
                };
                yield return new SandboxWatchEvent(type, ApiMachinery.ForVersion(r, e.Object.CloneObject()));
            }
        }
        finally
        {
            table.StopWatch(w);
        }
    }

    private static WriteOptions Options(string manager) => new() { FieldManager = manager, Internal = true };
}
