using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>
/// Dynamic provisioning plus the PV binder in one: a Pending claim of a configured StorageClass (or
/// of none, which means the default class) gets a PersistentVolume "pvc-&lt;uid&gt;" and becomes Bound with
/// the requested capacity; a claim of an unknown class stays Pending with a ProvisioningFailed event.
/// </summary>
internal sealed class PvcBinder : ControllerLoop
{
    private const string Component = "persistentvolume-controller";
    private const string Provisioner = "sandbox.flock.io/hostpath";
    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly ClusterOptions _options;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    public PvcBinder(IKubernetes client, ClusterCaches caches, EventRecorder events, ClusterOptions options, ILogger log)
        : base(caches, log)
    {
        _client = client;
        _events = events;
        _options = options;
        WatchInformer(caches.Claims);
    }

    /// <summary>The class a claim provisions from, or null when no configured class serves it.</summary>
    public static string? ClassFor(V1PersistentVolumeClaim claim, IReadOnlyList<string> classes)
    {
        var requested = claim.Spec?.StorageClassName;
        if (string.IsNullOrEmpty(requested)) return classes.Count > 0 ? classes[0] : null;
        return classes.Contains(requested) ? requested : null;
    }

    protected override async Task<TimeSpan?> ReconcileAsync(CancellationToken ct)
    {
        TimeSpan? next = null;
        var now = _options.Clock.GetUtcNow();
        foreach (var claim in Caches.Claims.List().Where(c => c.Metadata.DeletionTimestamp is null && c.Status?.Phase is null or "Pending"))
        {
            var cls = ClassFor(claim, _options.StorageClasses);
            if (cls is null)
            {
                if (_reported.Add(claim.Metadata.Uid))
                {
                    await _events.WarningAsync(Component, null, EventTarget.Of(claim), "ProvisioningFailed",
                        $"storageclass.storage.k8s.io \"{claim.Spec?.StorageClassName}\" not found", ct).ConfigureAwait(false);
                }

                continue;
            }

            var created = claim.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : now;
            var due = created + _options.VolumeBindDelay;
            if (due > now)
            {
                next = Earliest(next, due - now);
                continue;
            }

            next = Earliest(next, await GuardAsync(claim.Metadata.Name, async () =>
            {
                await BindAsync(claim, cls, ct).ConfigureAwait(false);
                return null;
            }, ct).ConfigureAwait(false));
        }

        return next;
    }

    private async Task BindAsync(V1PersistentVolumeClaim claim, string cls, CancellationToken ct)
    {
        var ns = claim.Metadata.NamespaceProperty;
        var name = claim.Metadata.Name;
        var volume = claim.Spec?.VolumeName is { Length: > 0 } v ? v : $"pvc-{claim.Metadata.Uid}";
        var storage = claim.Spec?.Resources?.Requests is { } r && r.TryGetValue("storage", out var q) ? q : new ResourceQuantity("1Gi");
        var accessModes = claim.Spec?.AccessModes is { Count: > 0 } m ? m.ToList() : ["ReadWriteOnce"];

        try
        {
            await _client.CoreV1.CreatePersistentVolumeAsync(new V1PersistentVolume
            {
                ApiVersion = "v1",
                Kind = "PersistentVolume",
                Metadata = new V1ObjectMeta
                {
                    Name = volume,
                    Annotations = new Dictionary<string, string> { ["pv.kubernetes.io/provisioned-by"] = Provisioner },
                },
                Spec = new V1PersistentVolumeSpec
                {
                    Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = storage },
                    AccessModes = accessModes,
                    StorageClassName = cls,
                    PersistentVolumeReclaimPolicy = "Delete",
                    VolumeMode = claim.Spec?.VolumeMode ?? "Filesystem",
                    HostPath = new V1HostPathVolumeSource { Path = $"/var/lib/sandbox/volumes/{volume}", Type = "DirectoryOrCreate" },
                    ClaimRef = new V1ObjectReference
                    {
                        ApiVersion = "v1",
                        Kind = "PersistentVolumeClaim",
                        NamespaceProperty = ns,
                        Name = name,
                        Uid = claim.Metadata.Uid,
                    },
                },
            }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Patches.Code(e) is 404 or 409 or 422 or 403)
        {
            // No PersistentVolume API, or the volume exists already: the claim is bound all the same.
        }

        try
        {
            var patch = Patches.Merge(new
            {
                metadata = new
                {
                    annotations = new Dictionary<string, string>
                    {
                        ["pv.kubernetes.io/bind-completed"] = "yes",
                        ["pv.kubernetes.io/bound-by-controller"] = "yes",
                        ["volume.beta.kubernetes.io/storage-provisioner"] = Provisioner,
                        ["volume.kubernetes.io/storage-provisioner"] = Provisioner,
                    },
                },
                spec = new { volumeName = volume },
            });
            await _client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, cancellationToken: ct).ConfigureAwait(false);
            var status = new V1PersistentVolumeClaimStatus
            {
                Phase = "Bound",
                AccessModes = accessModes,
                Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = storage },
            };
            var updated = await _client.CoreV1.PatchNamespacedPersistentVolumeClaimStatusAsync(Patches.Status(status, claim.Status), name, ns, cancellationToken: ct)
                .ConfigureAwait(false);
            Caches.Claims.Upsert(updated);
            Log.LogInformation("claim {Namespace}/{Claim} bound to {Volume} ({Storage})", ns, name, volume, storage.ToString());
            await _events.NormalAsync(Provisioner, null, EventTarget.Of(claim), "ProvisioningSucceeded",
                $"Successfully provisioned volume {volume}", ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Patches.IsNotFound(e))
        {
            // Deleted meanwhile.
        }
    }
}
