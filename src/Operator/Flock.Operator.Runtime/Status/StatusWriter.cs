using System.Text.Json.Nodes;
using Flock.Operator.Runtime.Client;
using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Status;

/// <summary>
/// Writes a status subresource only when the desired status differs from the stored one, so a
/// steady resync makes no writes. A 409 (someone wrote in between) re-reads the object and computes the
/// desired status again from the fresh one (as CloudNativePG re-applies its change functions), so a write
/// never carries what was computed from a stale object: conditions' transition times, fields the change does
/// not own, and what another writer added are taken from the object as it is now.
/// </summary>
public sealed class StatusWriter(KubeRestClient client)
{
    private const int MaxConflictRetries = 5;

    /// <summary>Total status writes made (for benchmarks and metrics).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;

    /// <returns>The stored object after the write, or <paramref name="current"/> when nothing differed.</returns>
    public Task<T> WriteAsync<T, TStatus>(ResourceKind kind, T current, TStatus desired,
        Func<T, TStatus?> getStatus, Action<T, TStatus> setStatus, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        WriteAsync(kind, current, _ => desired, getStatus, setStatus, ct);

    /// <param name="desiredFor">Computes the status to write from the object as stored: called again on the fresh object after a conflict.</param>
    /// <returns>The stored object after the write, or the object read last when nothing differed.</returns>
    public async Task<T> WriteAsync<T, TStatus>(ResourceKind kind, T current, Func<T, TStatus> desiredFor,
        Func<T, TStatus?> getStatus, Action<T, TStatus> setStatus, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        for (var attempt = 0; ; attempt++)
        {
            var desired = desiredFor(current);
            var desiredJson = client.Json.ToNode(desired);
            var stored = getStatus(current);
            if (stored is not null && JsonNode.DeepEquals(client.Json.ToNode(stored), desiredJson)) return current;

            // The status goes on a copy: `current` is usually the informer's cached object, and a write that fails
            // (a 503, a timeout) must not leave the cache claiming the new status, or the retry would see nothing to write.
            var body = client.Json.Deserialize<T>(client.Json.Serialize(current));
            setStatus(body, desired);
            try
            {
                var written = await client.ReplaceStatusAsync(kind, current.Metadata.NamespaceProperty, current.Metadata.Name, body, ct)
                    .ConfigureAwait(false);
                Interlocked.Increment(ref _writes);
                return written;
            }
            catch (KubeApiException e) when (e.IsConflict && attempt < MaxConflictRetries)
            {
                current = await client.GetAsync<T>(kind, current.Metadata.NamespaceProperty, current.Metadata.Name, ct).ConfigureAwait(false);
            }
        }
    }
}
