using System.Globalization;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Placement;

/// <summary>Where a worker runs in this generation, and why (shown in status.workload.placementReason).</summary>
public sealed record PlacementDecision(Backend Backend, string Reason, long Generation);

/// <summary>
/// placement.mode Auto: in-cluster when a node has a free GPU of the wanted models, else on Akash. The choice is made
/// once per generation and kept (status.workload.placedGeneration), so a worker never flaps between backends; a spec
/// change (a new generation) asks again. The reconciler stops the old backend before it starts the new one.
/// </summary>
public sealed class AutoPlacement(KubeRestClient kube)
{
    public async Task<PlacementDecision> DecideAsync(WorkerProfile profile, WorkloadStatus? previous, long generation, bool akashConfigured, CancellationToken ct)
    {
        var spec = profile.Spec;
        if (spec.Placement.Mode == PlacementMode.InCluster) return new PlacementDecision(Backend.InCluster, "placement.mode is InCluster", generation);
        if (spec.Placement.Mode == PlacementMode.Akash) return new PlacementDecision(Backend.Akash, "placement.mode is Akash", generation);
        if (previous is { PlacedGeneration: { } placed, Backend: { } backend, PlacementReason: { } reason } && placed == generation)
        {
            return new PlacementDecision(backend, reason, generation);
        }

        var gpu = spec.Resources.Gpu;
        var nodes = (await kube.ListAsync<V1Node>(BuiltInKinds.Node, null, new ListOptions(), ct).ConfigureAwait(false)).Items;
        var requested = new Dictionary<string, int>(StringComparer.Ordinal);
        var candidates = GpuCapacity.Candidates(gpu, nodes, _ => 0);
        var podsVisible = true;
        foreach (var node in candidates)
        {
            try
            {
                var pods = await kube.ListAsync<V1Pod>(BuiltInKinds.Pod, null, new ListOptions(FieldSelector: $"spec.nodeName={node.Node}"), ct).ConfigureAwait(false);
                // The worker's own pod does not take a GPU from itself: asked again (a pass that ran before its last
                // status write reached the cache), it must find the node it already runs on still free for it.
                requested[node.Node] = pods.Items.Where(p => !IsOwn(p, profile)).Sum(GpuCapacity.Requested);
            }
            catch (KubeApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
                // With watchNamespaces the operator may not read pods cluster-wide: count the node's GPUs as free
                // and let the scheduler have the last word.
                podsVisible = false;
                requested[node.Node] = 0;
            }
        }

        var free = GpuCapacity.Candidates(gpu, candidates.Select(c => nodes.First(n => n.Metadata.Name == c.Node)), n => requested[n])
            .Where(c => c.Free >= Math.Max(1, gpu.Count)).OrderByDescending(c => c.Free).ThenBy(c => c.Node, StringComparer.Ordinal).ToList();
        var models = gpu.Models is { Count: > 0 } m ? string.Join(", ", m) : "any model";
        if (free.FirstOrDefault() is { } chosen)
        {
            return new PlacementDecision(Backend.InCluster,
                $"Auto: in-cluster, node {chosen.Node} has {chosen.Free} free {chosen.Model} GPU(s)"
                + (podsVisible ? "" : " (pods of other namespaces are not visible to the operator, so GPUs in use there are not counted)"), generation);
        }

        var why = candidates.Count == 0
            ? $"no Ready node has a GPU of {models}"
            : $"{candidates.Count.ToString(CultureInfo.InvariantCulture)} node(s) have {models} GPUs but none has {Math.Max(1, gpu.Count)} free";
        return akashConfigured
            ? new PlacementDecision(Backend.Akash, $"Auto: on Akash, {why}", generation)
            : new PlacementDecision(Backend.InCluster, $"Auto: in-cluster (the operator has no Akash node configured), {why}; the pod waits for a GPU", generation);
    }

    private static bool IsOwn(V1Pod pod, WorkerProfile profile) =>
        pod.Metadata.NamespaceProperty == profile.Namespace
        && pod.Metadata.Labels is { } labels
        && Label(labels, WorkerLabels.Instance) == profile.Name
        && Label(labels, WorkerLabels.Name) == profile.AppName
        && Label(labels, WorkerLabels.ManagedBy) == WorkerLabels.Manager;

    private static string? Label(IDictionary<string, string> labels, string key) => labels.TryGetValue(key, out var value) ? value : null;
}
