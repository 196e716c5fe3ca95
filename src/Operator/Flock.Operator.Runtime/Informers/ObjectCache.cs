using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Informers;

/// <summary>
/// The informer's store: objects by key plus named secondary indexes (by namespace, by owner, by the
/// Secrets an object references, …) kept in step with every change.
/// </summary>
public sealed class ObjectCache<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, T> _objects = new();
    private readonly Dictionary<string, Func<T, IEnumerable<string>>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<ObjectKey>>> _indexes = new(StringComparer.Ordinal);

    public const string NamespaceIndex = "namespace";
    public const string OwnerUidIndex = "owner-uid";

    public ObjectCache()
    {
        AddIndex(NamespaceIndex, o => o.Metadata.NamespaceProperty is { } ns ? [ns] : []);
        AddIndex(OwnerUidIndex, o => o.Metadata.OwnerReferences?.Select(r => r.Uid) ?? []);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _objects.Count;
            }
        }
    }

    public bool HasIndex(string name)
    {
        lock (_lock)
        {
            return _indexers.ContainsKey(name);
        }
    }

    /// <summary>Adds an index; existing objects are indexed at once.</summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> indexer)
    {
        lock (_lock)
        {
            _indexers[name] = indexer;
            _indexes[name] = new Dictionary<string, HashSet<ObjectKey>>(StringComparer.Ordinal);
            foreach (var (key, obj) in _objects) Index(name, key, obj);
        }
    }

    public T? Get(ObjectKey key)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault(key);
        }
    }

    public IReadOnlyList<T> List()
    {
        lock (_lock)
        {
            return _objects.Values.ToList();
        }
    }

    public IReadOnlyList<ObjectKey> Keys()
    {
        lock (_lock)
        {
            return _objects.Keys.ToList();
        }
    }

    /// <summary>Objects whose index <paramref name="index"/> yields <paramref name="value"/>.</summary>
    public IReadOnlyList<T> ByIndex(string index, string value)
    {
        lock (_lock)
        {
            if (!_indexes.TryGetValue(index, out var values)) throw new ArgumentException($"no index {index}", nameof(index));
            return values.TryGetValue(value, out var keys) ? keys.Select(k => _objects[k]).ToList() : [];
        }
    }

    /// <summary>Stores the object and returns the one it replaced, if any.</summary>
    public T? Upsert(T obj)
    {
        var key = ObjectKey.Of(obj);
        lock (_lock)
        {
            var old = _objects.GetValueOrDefault(key);
            if (old is not null) Unindex(key, old);
            _objects[key] = obj;
            foreach (var name in _indexers.Keys) Index(name, key, obj);
            return old;
        }
    }

    public T? Remove(ObjectKey key)
    {
        lock (_lock)
        {
            if (!_objects.Remove(key, out var old)) return null;
            Unindex(key, old);
            return old;
        }
    }

    private void Index(string name, ObjectKey key, T obj)
    {
        foreach (var value in _indexers[name](obj))
        {
            if (!_indexes[name].TryGetValue(value, out var keys)) _indexes[name][value] = keys = [];
            keys.Add(key);
        }
    }

    private void Unindex(ObjectKey key, T obj)
    {
        foreach (var (name, indexer) in _indexers)
        {
            foreach (var value in indexer(obj))
            {
                if (_indexes[name].TryGetValue(value, out var keys) && keys.Remove(key) && keys.Count == 0) _indexes[name].Remove(value);
            }
        }
    }
}
