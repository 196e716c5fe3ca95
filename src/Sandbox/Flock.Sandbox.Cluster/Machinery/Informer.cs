using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>
/// List+watch cache of one resource, as client-go's reflector and store: list, then watch from the
/// list's resourceVersion, re-watch from the last seen version when the stream ends and relist on
/// 410 Gone. Controllers write their own results through (<see cref="Upsert"/>, <see cref="Remove"/>)
/// so the next pass does not act on a state the watch has not delivered yet (client-go solves the
/// same race with "expectations").
/// </summary>
internal sealed class Informer<T, TList> : IInformer
    where T : class, IKubernetesObject<V1ObjectMeta>
    where TList : IKubernetesObject<V1ListMeta>, IItems<T>
{
    /// <summary>Lists every object.</summary>
    public delegate Task<TList> ListCall(CancellationToken ct);

    /// <summary>Watches from a resourceVersion.</summary>
    public delegate IAsyncEnumerable<(WatchEventType, T)> WatchCall(string resourceVersion, Action<Exception> onError, CancellationToken ct);

    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deletedUids = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ListCall _list;
    private readonly WatchCall _watch;
    private readonly ILogger _log;
    private readonly string _name;

    public Informer(string name, ListCall list, WatchCall watch, ILogger log)
    {
        _name = name;
        _list = list;
        _watch = watch;
        _log = log;
    }

    /// <summary>Raised after every change of the cache (watch event, relist or write-through).</summary>
    public event Action? Changed;

    public Task Synced => _synced.Task;

    public IReadOnlyList<T> List() => _items.Values.ToList();

    public T? Get(string? ns, string name) => _items.TryGetValue(Key(ns, name), out var o) ? o : null;

    /// <summary>Write-through of an object the API server returned; ignored when the cache already holds a newer one.</summary>
    public void Upsert(T obj)
    {
        if (obj.Metadata?.Uid is { } uid && _deletedUids.ContainsKey(uid)) return;
        var key = Key(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? "");
        _items.AddOrUpdate(key, obj, (_, cur) =>
            cur.Metadata?.Uid == obj.Metadata?.Uid && !ResourceVersions.IsNotOlder(obj.Metadata?.ResourceVersion, cur.Metadata?.ResourceVersion) ? cur : obj);
        Changed?.Invoke();
    }

    /// <summary>Write-through of a deletion: the object is gone and late events about it are ignored.</summary>
    public void Remove(T obj)
    {
        if (obj.Metadata?.Uid is { } uid) _deletedUids[uid] = 0;
        var key = Key(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? "");
        if (_items.TryGetValue(key, out var cur) && cur.Metadata?.Uid == obj.Metadata?.Uid) _items.TryRemove(key, out _);
        Changed?.Invoke();
    }

    public async Task RunAsync(CancellationToken ct)
    {
        string? rv = null;
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                rv ??= await RelistAsync(ct).ConfigureAwait(false);
                backoff = TimeSpan.FromMilliseconds(50);
                var gone = false;
                var watch = _watch(rv, e =>
                {
                    if (e is KubernetesException { Status.Code: 410 }) gone = true;
                    else _log.LogDebug(e, "{Informer} watch error", _name);
                }, ct);
                await foreach (var (type, obj) in watch.ConfigureAwait(false))
                {
                    if (obj?.Metadata?.ResourceVersion is { Length: > 0 } v) rv = v;
                    Apply(type, obj);
                }

                if (gone) rv = null;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException e) when ((int)e.Response.StatusCode == 410)
            {
                rv = null;
            }
            catch (Exception e)
            {
                // The server restarted or dropped the stream (or sent something unreadable): wait a little and
                // watch again from the last version, as a reflector does.
                _log.LogDebug(e, "{Informer} list/watch failed; retrying", _name);
                try
                {
                    await Task.Delay(backoff, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 1000));
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken ct)
    {
        var list = await _list(ct).ConfigureAwait(false);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items ?? [])
        {
            var key = Key(item.Metadata?.NamespaceProperty, item.Metadata?.Name ?? "");
            seen.Add(key);
            _items[key] = item;
        }

        foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList()) _items.TryRemove(key, out _);
        _synced.TrySetResult();
        Changed?.Invoke();
        return list.Metadata?.ResourceVersion ?? "0";
    }

    private void Apply(WatchEventType type, T? obj)
    {
        if (obj?.Metadata is null) return;
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                Upsert(obj);
                break;
            case WatchEventType.Deleted:
                Remove(obj);
                break;
        }
    }

    private static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;
}

/// <summary>What the cluster needs of every informer regardless of its type.</summary>
internal interface IInformer
{
    event Action? Changed;

    Task Synced { get; }

    Task RunAsync(CancellationToken ct);
}
