using System.Text.Json.Nodes;
using System.Threading.Channels;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Sandbox.ApiServer.Storage;

/// <summary>
/// The objects of one group/resource (all versions), their bounded event history and their watchers.
/// A short lock guards each table; the resource version counter is cluster-wide.
/// </summary>
internal sealed class ResourceTable
{
    private readonly object _lock = new();
    private readonly SortedDictionary<string, StoredObject> _items = new(StringComparer.Ordinal);
    private readonly ClusterStore _store;
    private readonly List<Watcher> _watchers = [];
    private StoreEvent[] _ring;
    private int _ringStart;
    private int _ringCount;

    /// <summary>Events at or below this resource version are no longer in the history.</summary>
    private long _historyFloor;

    public ResourceTable(ClusterStore store, ApiResource resource, int historySize)
    {
        _store = store;
        Resource = resource;
        _ring = new StoreEvent[Math.Max(16, historySize)];
    }

    public ApiResource Resource { get; }

    public int Count
    {
        get { lock (_lock) return _items.Count; }
    }

    public StoredObject? Get(string? ns, string name)
    {
        lock (_lock) return _items.GetValueOrDefault(StoredObject.Key2(ns, name));
    }

    /// <summary>Current objects (optionally of one namespace) and the resource version they are current at.</summary>
    public (List<StoredObject> Items, long ResourceVersion) Snapshot(string? ns)
    {
        lock (_lock)
        {
            var rv = _store.CurrentResourceVersion;
            return (Filter(_items.Values, ns).ToList(), rv);
        }
    }

    /// <summary>The objects as they were at <paramref name="rv"/>, rebuilt from the history; null when compacted.</summary>
    public List<StoredObject>? SnapshotAt(string? ns, long rv)
    {
        lock (_lock)
        {
            if (rv < _historyFloor) return null;
            var copy = new SortedDictionary<string, StoredObject>(_items, StringComparer.Ordinal);
            for (var i = _ringCount - 1; i >= 0; i--)
            {
                var e = _ring[(_ringStart + i) % _ring.Length];
                if (e.ResourceVersion <= rv) break;
                var key = (e.Previous ?? e.Object)!.Key;
                if (e.Previous is null) copy.Remove(key);
                else copy[key] = e.Previous;
            }

            return Filter(copy.Values, ns).ToList();
        }
    }

    private static IEnumerable<StoredObject> Filter(IEnumerable<StoredObject> items, string? ns) =>
        string.IsNullOrEmpty(ns) ? items : items.Where(o => o.Namespace == ns);

    /// <summary>Stores a new object; AlreadyExists when the key is taken.</summary>
    public StoredObject Create(JsonObject obj, Func<JsonObject, long, JsonObject>? finish = null)
    {
        lock (_lock)
        {
            var meta = Json.Meta(obj);
            var key = StoredObject.Key2(Json.Str(meta, "namespace"), Json.Str(meta, "name") ?? "");
            if (_items.ContainsKey(key)) throw Errors.AlreadyExists(Resource.Group, Resource.Plural, Json.Str(meta, "name") ?? "");
            var rv = _store.NextResourceVersion();
            obj = finish?.Invoke(obj, rv) ?? obj;
            Json.Meta(obj)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stored = new StoredObject(obj, rv);
            _items[key] = stored;
            Publish(new StoreEvent(StoreEventType.Added, stored, null, rv));
            return stored;
        }
    }

    /// <summary>Replaces the object if it still has <paramref name="expectedRv"/>; null when it changed meanwhile.</summary>
    public StoredObject? Update(string key, long expectedRv, JsonObject obj)
    {
        lock (_lock)
        {
            if (!_items.TryGetValue(key, out var current) || current.ResourceVersion != expectedRv) return null;
            var rv = _store.NextResourceVersion();
            Json.Meta(obj)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var stored = new StoredObject(obj, rv);
            _items[key] = stored;
            Publish(new StoreEvent(StoreEventType.Modified, stored, current, rv));
            return stored;
        }
    }

    /// <summary>Removes the object if it still has <paramref name="expectedRv"/>; null when it changed meanwhile.</summary>
    public StoredObject? Delete(string key, long expectedRv)
    {
        lock (_lock)
        {
            if (!_items.TryGetValue(key, out var current) || current.ResourceVersion != expectedRv) return null;
            var rv = _store.NextResourceVersion();
            _items.Remove(key);
            // The DELETED event carries the last state with the deletion's resource version, as etcd3's watcher does.
            var last = current.CloneObject();
            Json.Meta(last)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var tomb = new StoredObject(last, rv);
            Publish(new StoreEvent(StoreEventType.Deleted, tomb, current, rv));
            return current;
        }
    }

    private void Publish(StoreEvent e)
    {
        if (_ringCount == _ring.Length)
        {
            _historyFloor = _ring[_ringStart].ResourceVersion;
            _ring[_ringStart] = e;
            _ringStart = (_ringStart + 1) % _ring.Length;
        }
        else
        {
            _ring[(_ringStart + _ringCount) % _ring.Length] = e;
            _ringCount++;
        }

        for (var i = _watchers.Count - 1; i >= 0; i--)
        {
            var w = _watchers[i];
            if (!w.Channel.Writer.TryWrite(e))
            {
                // A watcher that cannot keep up is closed, as the apiserver's cacher terminates slow watchers.
                w.Channel.Writer.TryComplete();
                _watchers.RemoveAt(i);
            }
        }

        _store.OnCommitted(this, e);
    }

    /// <summary>
    /// Starts a watch: with <paramref name="fromRv"/> null, synthetic ADDED events for the current
    /// state first; otherwise every retained event after it (410 ERROR when it is older than the history).
    /// </summary>
    public Watcher Watch(long? fromRv, string? ns, int capacity)
    {
        Watcher w;
        lock (_lock)
        {
            w = new Watcher(this, ns, capacity + _items.Count + _ringCount);
            if (fromRv is null)
            {
                foreach (var o in Filter(_items.Values, ns))
                {
                    w.Channel.Writer.TryWrite(new StoreEvent(StoreEventType.Added, o, null, o.ResourceVersion));
                }

                w.InitialEventsEndRv = _store.CurrentResourceVersion;
            }
            else
            {
                if (fromRv.Value < _historyFloor)
                {
                    var oldest = _ringCount > 0 ? _ring[_ringStart].ResourceVersion : _store.CurrentResourceVersion;
                    w.Channel.Writer.TryWrite(new StoreEvent(StoreEventType.Error, null, null, 0,
                        Errors.Status(410, "Expired", $"too old resource version: {fromRv.Value} ({oldest})")));
                    w.Channel.Writer.TryComplete();
                    return w;
                }

                for (var i = 0; i < _ringCount; i++)
                {
                    var e = _ring[(_ringStart + i) % _ring.Length];
                    if (e.ResourceVersion > fromRv.Value) w.Channel.Writer.TryWrite(e);
                }
            }

            _watchers.Add(w);
        }

        return w;
    }

    /// <summary>Queues a bookmark at the current resource version, after every event already queued.</summary>
    public void Bookmark(Watcher w)
    {
        lock (_lock)
        {
            w.Channel.Writer.TryWrite(new StoreEvent(StoreEventType.Bookmark, null, null, _store.CurrentResourceVersion));
        }
    }

    public void StopWatch(Watcher w)
    {
        lock (_lock) _watchers.Remove(w);
        w.Channel.Writer.TryComplete();
    }

    public void DropWatches()
    {
        lock (_lock)
        {
            foreach (var w in _watchers) w.Channel.Writer.TryComplete();
            _watchers.Clear();
        }
    }

    public void Compact()
    {
        lock (_lock)
        {
            _historyFloor = _store.CurrentResourceVersion;
            System.Array.Clear(_ring);
            _ringStart = 0;
            _ringCount = 0;
        }
    }

    public int WatcherCount
    {
        get { lock (_lock) return _watchers.Count; }
    }
}

/// <summary>One watch's queue of table events, filtered and encoded by its HTTP stream.</summary>
internal sealed class Watcher
{
    public Watcher(ResourceTable table, string? ns, int capacity)
    {
        Table = table;
        Namespace = ns;
        Channel = System.Threading.Channels.Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ResourceTable Table { get; }
    public string? Namespace { get; }
    public Channel<StoreEvent> Channel { get; }

    /// <summary>For a watch that began with the current state: the resource version that state was at.</summary>
    public long? InitialEventsEndRv { get; set; }
}
