using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>One informer per (kind, namespace) for the whole process, shared by every controller that watches it.</summary>
public sealed class SharedInformers(KubeRestClient client, ILoggerFactory loggers, TimeProvider time, TimeSpan? resync)
{
    private readonly Dictionary<(ResourceKind, string?, string?), IInformer> _informers = new();
    private readonly Lock _lock = new();

    /// <param name="labelSelector">Narrows the cache to the objects that matter (e.g. only the operator's own children).</param>
    /// <param name="transform">See <see cref="Informer{T}"/>; the first caller of a (kind, namespace, selector) sets it.</param>
    public Informer<T> Get<T>(ResourceKind kind, string? @namespace, string? labelSelector = null, Func<T, T>? transform = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_lock)
        {
            var key = (kind, kind.Namespaced ? @namespace : null, labelSelector);
            if (_informers.TryGetValue(key, out var existing)) return (Informer<T>)existing;
            var informer = new Informer<T>(client, kind, new InformerOptions { Namespace = key.Item2, ResyncPeriod = resync, LabelSelector = labelSelector },
                loggers.CreateLogger($"Informer.{kind}"), time, transform);
            _informers[key] = informer;
            return informer;
        }
    }

    public IReadOnlyList<IInformer> All
    {
        get
        {
            lock (_lock)
            {
                return _informers.Values.ToList();
            }
        }
    }

    public bool AllSynced => All.All(i => i.HasSynced);
}
