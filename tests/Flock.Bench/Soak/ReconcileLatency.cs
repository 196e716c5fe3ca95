using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Bench.Soak;

/// <summary>
/// Event-to-reconcile latency as the API server sees it: from a user's write that gives a FLock resource a new
/// generation (create, spec change) to the operator's first status write that observes that generation; and from a
/// delete to the operator's release of the finalizer. Also counts the operator's writes.
/// </summary>
internal sealed class ReconcileLatency(string operatorUser)
{
    private readonly ConcurrentDictionary<(string Ns, string Name), (long Generation, long At)> _pending = new();
    private readonly ConcurrentDictionary<(string Ns, string Name), long> _deleting = new();
    private readonly ConcurrentDictionary<(string Ns, string Name), long> _generations = new();
    private readonly ConcurrentQueue<double> _reconcileMs = new();
    private readonly ConcurrentQueue<double> _deleteMs = new();
    private long _operatorWrites;

    public long OperatorWrites => Interlocked.Read(ref _operatorWrites);

    public IReadOnlyList<double> ReconcileMs => _reconcileMs.ToList();

    public IReadOnlyList<double> DeleteMs => _deleteMs.ToList();

    public Task OnWriteAsync(ApiWrite write)
    {
        if (write.User == operatorUser) Interlocked.Increment(ref _operatorWrites);
        if (write.Group != "flock.io" || write.Namespace is null || write.Name is null) return Task.CompletedTask;
        var key = (write.Namespace, write.Name);
        var now = Stopwatch.GetTimestamp();
        if (write.User != operatorUser)
        {
            if (write.Verb == "delete")
            {
                _deleting.TryAdd(key, now);
                _generations.TryRemove(key, out _); // a recreated resource starts again at generation 1
            }
            else if (write.Subresource.Length == 0 && Generation(write.Object) is { } generation && generation > _generations.GetValueOrDefault(key))
            {
                // A new generation; one still waiting keeps its (earlier) start, now waiting for the newer generation.
                _generations[key] = generation;
                _pending.AddOrUpdate(key, (generation, now), (_, old) => (generation, old.At));
            }

            return Task.CompletedTask;
        }

        if (write.Subresource == "status" && write.Object?["status"]?["observedGeneration"]?.GetValue<long>() is { } observed &&
            _pending.TryGetValue(key, out var waiting) && observed >= waiting.Generation && _pending.TryRemove(new(key, waiting)))
        {
            _reconcileMs.Enqueue(Stopwatch.GetElapsedTime(waiting.At, now).TotalMilliseconds);
        }

        // The finalizer's release: a patch leaving no finalizers on an object being deleted.
        if (write.Verb == "patch" && write.Subresource.Length == 0 && write.Object?["metadata"] is JsonObject meta && meta["deletionTimestamp"] is not null &&
            meta["finalizers"] is not JsonArray { Count: > 0 } && _deleting.TryRemove(key, out var since))
        {
            _pending.TryRemove(key, out _);
            _deleteMs.Enqueue(Stopwatch.GetElapsedTime(since, now).TotalMilliseconds);
        }

        return Task.CompletedTask;
    }

    private static long? Generation(JsonObject? obj) => obj?["metadata"]?["generation"]?.GetValue<long>();
}
