using System.Text.Json.Nodes;
using Flock.Operator.Runtime.Client;
using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Status;

/// <summary>
/// Adds and removes a finalizer with a merge patch that carries the object's resourceVersion: the
/// apiserver then refuses it (409) if the list changed meanwhile, so another controller's finalizer
/// is never dropped by our replacement of the list.
/// </summary>
public sealed class Finalizers(KubeRestClient client)
{
    public static bool Has(IKubernetesObject<V1ObjectMeta> obj, string finalizer) => obj.Metadata.Finalizers?.Contains(finalizer) == true;

    public Task<T> AddAsync<T>(ResourceKind kind, T obj, string finalizer, CancellationToken ct) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Has(obj, finalizer) ? Task.FromResult(obj) : PatchAsync(kind, obj, [.. obj.Metadata.Finalizers ?? [], finalizer], ct);

    public Task<T> RemoveAsync<T>(ResourceKind kind, T obj, string finalizer, CancellationToken ct) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Has(obj, finalizer) ? PatchAsync(kind, obj, obj.Metadata.Finalizers!.Where(f => f != finalizer).ToList(), ct) : Task.FromResult(obj);

    private Task<T> PatchAsync<T>(ResourceKind kind, T obj, IReadOnlyList<string> finalizers, CancellationToken ct) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = obj.Metadata.ResourceVersion,
                ["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)!).ToArray()),
            },
        };
        return client.MergePatchAsync<T>(kind, obj.Metadata.NamespaceProperty, obj.Metadata.Name, patch, ct);
    }
}
