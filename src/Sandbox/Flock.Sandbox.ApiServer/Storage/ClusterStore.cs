using System.Collections.Concurrent;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Sandbox.ApiServer.Storage;

/// <summary>
/// The simulated etcd: one table per group/resource and one cluster-wide resource version counter.
/// </summary>
internal sealed class ClusterStore
{
    private readonly ConcurrentDictionary<string, ResourceTable> _tables = new(StringComparer.Ordinal);
    private readonly int _historySize;
    private long _rv;

    public ClusterStore(int historySize, long startRv = 1)
    {
        _historySize = historySize;
        _rv = startRv;
    }

    public long CurrentResourceVersion => Interlocked.Read(ref _rv);

    internal long NextResourceVersion() => Interlocked.Increment(ref _rv);

    /// <summary>Raised (inside the table lock; keep it short) after each committed change.</summary>
    public event Action<ResourceTable, StoreEvent>? Committed;

    internal void OnCommitted(ResourceTable table, StoreEvent e) => Committed?.Invoke(table, e);

    public ResourceTable Table(ApiResource resource) =>
        _tables.GetOrAdd(ResourceCatalog.StorageKey(resource), _ => new ResourceTable(this, resource, _historySize));

    public ResourceTable? TryTable(string storageKey) => _tables.GetValueOrDefault(storageKey);

    public IEnumerable<ResourceTable> Tables => _tables.Values;

    public void RemoveTable(string storageKey)
    {
        if (_tables.TryRemove(storageKey, out var t)) t.DropWatches();
    }

    public void DropAllWatches()
    {
        foreach (var t in _tables.Values) t.DropWatches();
    }

    public void Compact()
    {
        foreach (var t in _tables.Values) t.Compact();
    }
}
