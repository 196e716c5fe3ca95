using k8s.Models;

namespace Flock.Sandbox.Cluster.Scheduling;

/// <summary>Why one node rejected a pod, as the failing filter plugin reports it.</summary>
/// <param name="Reasons">The plugin's reasons (NodeResourcesFit may give several).</param>
/// <param name="Unresolvable">UnschedulableAndUnresolvable: preemption on this node cannot help.</param>
internal sealed record NodeRejection(IReadOnlyList<string> Reasons, bool Unresolvable);

/// <summary>A node as the scheduler's snapshot sees it: the node plus what its bound pods already request.</summary>
internal sealed record NodeSnapshot(V1Node Node, Dictionary<string, decimal> Requested, int PodCount)
{
    public string Name => Node.Metadata.Name;

    public Dictionary<string, decimal> Allocatable => ResourceMath.FromList(Node.Status?.Allocatable ?? Node.Status?.Capacity);

    public static NodeSnapshot Build(V1Node node, IEnumerable<V1Pod> pods)
    {
        var requested = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var count = 0;
        foreach (var p in pods.Where(p => p.Spec?.NodeName == node.Metadata.Name && ResourceMath.HoldsResources(p)))
        {
            count++;
            foreach (var (k, v) in ResourceMath.PodRequests(p)) requested[k] = requested.GetValueOrDefault(k) + v;
        }

        return new NodeSnapshot(node, requested, count);
    }

    /// <summary>The snapshot after assuming <paramref name="pod"/> onto this node.</summary>
    public NodeSnapshot With(V1Pod pod)
    {
        var requested = new Dictionary<string, decimal>(Requested, StringComparer.Ordinal);
        foreach (var (k, v) in ResourceMath.PodRequests(pod)) requested[k] = requested.GetValueOrDefault(k) + v;
        return this with { Requested = requested, PodCount = PodCount + 1 };
    }
}

/// <summary>
/// The Filter plugins of the default scheduler profile the sandbox reproduces, in the profile's order
/// (NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit); like the real framework a
/// node's evaluation stops at the first plugin that rejects it, and the reason strings are the
/// plugins' own.
/// </summary>
internal static class NodeFit
{
    public const string ReasonUnschedulable = "node(s) were unschedulable";
    public const string ReasonAffinity = "node(s) didn't match Pod's node affinity/selector";
    public const string ReasonTooManyPods = "Too many pods";

    /// <summary>Null when the pod fits the node.</summary>
    public static NodeRejection? Check(V1Pod pod, NodeSnapshot node)
    {
        var spec = node.Node.Spec;
        var tolerations = pod.Spec?.Tolerations ?? [];
        if (spec?.Unschedulable == true &&
            !tolerations.Any(t => Tolerates(t, new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" })))
        {
            return new([ReasonUnschedulable], true);
        }

        var untolerated = (spec?.Taints ?? [])
            .FirstOrDefault(t => t.Effect is "NoSchedule" or "NoExecute" && !tolerations.Any(tol => Tolerates(tol, t)));
        if (untolerated is not null)
        {
            return new([$"node(s) had untolerated taint {{{untolerated.Key}: {untolerated.Value}}}"], true);
        }

        if (!MatchesNodeSelectorAndAffinity(pod, node.Node)) return new([ReasonAffinity], true);

        var reasons = InsufficientResources(pod, node);
        return reasons.Count == 0 ? null : new NodeRejection(reasons, false);
    }

    /// <summary>NodeResourcesFit: pods count, then cpu, memory, ephemeral-storage and extended resources.</summary>
    public static List<string> InsufficientResources(V1Pod pod, NodeSnapshot node)
    {
        var reasons = new List<string>();
        var allocatable = node.Allocatable;
        if (node.PodCount + 1 > allocatable.GetValueOrDefault(ResourceMath.Pods, 110)) reasons.Add(ReasonTooManyPods);
        var request = ResourceMath.PodRequests(pod);
        var ordered = new[] { ResourceMath.Cpu, ResourceMath.Memory, ResourceMath.EphemeralStorage }
            .Concat(request.Keys.Where(k => k is not (ResourceMath.Cpu or ResourceMath.Memory or ResourceMath.EphemeralStorage or ResourceMath.Pods))
                .Order(StringComparer.Ordinal));
        foreach (var name in ordered)
        {
            var want = request.GetValueOrDefault(name);
            if (want <= 0) continue;
            if (want > allocatable.GetValueOrDefault(name) - node.Requested.GetValueOrDefault(name)) reasons.Add($"Insufficient {name}");
        }

        return reasons;
    }

    /// <summary>v1helper.TolerationsTolerateTaint for one toleration.</summary>
    public static bool Tolerates(V1Toleration t, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(t.Effect) && t.Effect != taint.Effect) return false;
        if (!string.IsNullOrEmpty(t.Key) && t.Key != taint.Key) return false;
        return t.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => string.IsNullOrEmpty(t.Key) ? false : (t.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }

    /// <summary>spec.nodeSelector and requiredDuringSchedulingIgnoredDuringExecution, both required.</summary>
    public static bool MatchesNodeSelectorAndAffinity(V1Pod pod, V1Node node)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        foreach (var (k, v) in pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
        {
            if (!labels.TryGetValue(k, out var actual) || actual != v) return false;
        }

        var required = pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required is null) return true;

        // Terms are ORed; an empty term matches nothing.
        return (required.NodeSelectorTerms ?? []).Any(term => TermMatches(term, node));
    }

    private static bool TermMatches(V1NodeSelectorTerm term, V1Node node)
    {
        var exprs = term.MatchExpressions ?? [];
        var fields = term.MatchFields ?? [];
        if (exprs.Count == 0 && fields.Count == 0) return false;
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        return exprs.All(e => RequirementMatches(e, labels)) &&
               fields.All(f => f.Key == "metadata.name" && RequirementMatches(f, new Dictionary<string, string> { ["metadata.name"] = node.Metadata.Name }));
    }

    public static bool RequirementMatches(V1NodeSelectorRequirement r, IDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(r.Key, out var value);
        var values = r.Values ?? [];
        return r.OperatorProperty switch
        {
            "In" => has && values.Contains(value!),
            "NotIn" => !has || !values.Contains(value!),
            "Exists" => has,
            "DoesNotExist" => !has,
            "Gt" => has && values.Count == 1 && long.TryParse(value, out var a) && long.TryParse(values[0], out var b) && a > b,
            "Lt" => has && values.Count == 1 && long.TryParse(value, out var c) && long.TryParse(values[0], out var d) && c < d,
            _ => false,
        };
    }

    /// <summary>NodeResourcesFit's LeastAllocated score (cpu and memory weighted equally), 0..100.</summary>
    public static decimal Score(V1Pod pod, NodeSnapshot node)
    {
        var allocatable = node.Allocatable;
        var request = ResourceMath.PodRequests(pod);
        decimal total = 0;
        foreach (var r in new[] { ResourceMath.Cpu, ResourceMath.Memory })
        {
            var cap = allocatable.GetValueOrDefault(r);
            if (cap <= 0) continue;
            var used = node.Requested.GetValueOrDefault(r) + request.GetValueOrDefault(r);
            total += Math.Max(0, cap - used) * 100 / cap;
        }

        return total / 2;
    }
}
