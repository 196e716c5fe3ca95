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
internal sealed partial class ClusterControllers : IAsyncDisposable
{
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
