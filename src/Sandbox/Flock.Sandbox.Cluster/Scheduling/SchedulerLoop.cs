using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Scheduling;

/// <summary>
/// kube-scheduler's default profile, reduced to what a GPU workload meets: binds each pending pod
/// (no nodeName, schedulerName default-scheduler) to the feasible node with the most free cpu and
/// memory; otherwise marks it PodScheduled=False/Unschedulable with the scheduler's message and a
/// FailedScheduling event, and tries again whenever a node or pod changes.
/// </summary>
internal sealed class SchedulerLoop : ControllerLoop
{
    public const string SchedulerName = "default-scheduler";

    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly ClusterOptions _options;
    private readonly Dictionary<string, (string Message, DateTimeOffset At)> _failures = new(StringComparer.Ordinal);
    private bool _bindingUnsupported;

    public SchedulerLoop(IKubernetes client, ClusterCaches caches, EventRecorder events, ClusterOptions options, ILogger log)
        : base(caches, log)
    {
        _client = client;
        _events = events;
        _options = options;
        WatchInformer(caches.Nodes);
        WatchInformer(caches.Pods);
        WatchInformer(caches.Claims);
    }

    /// <summary>True once the server refused pods/binding and binds go through spec.nodeName instead.</summary>
    public bool BindsThroughNodeName => _bindingUnsupported || !_options.UseBindingSubresource;

    protected override async Task<TimeSpan?> ReconcileAsync(CancellationToken ct)
    {
        var pods = Caches.Pods.List();
        var pending = pods.Where(IsPending)
            .OrderByDescending(p => p.Spec.Priority ?? 0)
            .ThenBy(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ToList();
        var live = pending.Select(p => p.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _failures.Keys.Where(k => !live.Contains(k)).ToList()) _failures.Remove(gone);
        if (pending.Count == 0) return null;

        var snapshots = Caches.Nodes.List()
            .Where(n => n.Metadata.DeletionTimestamp is null)
            .OrderBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .Select(n => NodeSnapshot.Build(n, pods))
            .ToDictionary(s => s.Name, StringComparer.Ordinal);
        TimeSpan? next = null;
        foreach (var pod in pending)
        {
            if (VolumeBinding.PreFilter(pod, Caches.Claims.Get) is { } volumeProblem)
            {
                var preFilter = FitError.PreFilterMessage(snapshots.Count, volumeProblem);
                next = Earliest(next, await GuardAsync(pod.Metadata.Name, () => RecordFailureAsync(pod, preFilter, ct), ct).ConfigureAwait(false));
                continue;
            }

            var (node, rejections) = Schedule(pod, snapshots.Values);
            if (node is not null)
            {
                var retry = await GuardAsync(pod.Metadata.Name, async () =>
                {
                    await BindAsync(pod, node.Name, ct).ConfigureAwait(false);
                    return null;
                }, ct).ConfigureAwait(false);
                if (retry is null)
                {
                    snapshots[node.Name] = node.With(pod);
                    _failures.Remove(pod.Metadata.Uid);
                }

                next = Earliest(next, retry);
                continue;
            }

            var message = FitError.Message(snapshots.Count, rejections);
            next = Earliest(next, await GuardAsync(pod.Metadata.Name, () => RecordFailureAsync(pod, message, ct), ct).ConfigureAwait(false));
        }

        return next;
    }

    /// <summary>Filters every node, then scores the feasible ones; pure, for unit tests.</summary>
    public static (NodeSnapshot? Node, List<NodeRejection> Rejections) Schedule(V1Pod pod, IEnumerable<NodeSnapshot> nodes)
    {
        var rejections = new List<NodeRejection>();
        var feasible = new List<NodeSnapshot>();
        foreach (var n in nodes)
        {
            if (NodeFit.Check(pod, n) is { } rejection) rejections.Add(rejection);
            else feasible.Add(n);
        }

        var best = feasible.OrderByDescending(n => NodeFit.Score(pod, n)).ThenBy(n => n.Name, StringComparer.Ordinal).FirstOrDefault();
        return (best, rejections);
    }

    private static bool IsPending(V1Pod p) =>
        string.IsNullOrEmpty(p.Spec?.NodeName) &&
        (p.Spec?.SchedulerName is null or "" or SchedulerName) &&
        p.Metadata.DeletionTimestamp is null &&
        p.Status?.Phase is not ("Succeeded" or "Failed");

    private async Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        V1Pod? bound = null;
        if (!BindsThroughNodeName)
        {
            try
            {
                var binding = new V1Binding
                {
                    Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Uid = pod.Metadata.Uid },
                    Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
                };
                await _client.CoreV1.CreateNamespacedPodBindingAsync(binding, name, ns, cancellationToken: ct).ConfigureAwait(false);
                bound = await _client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct).ConfigureAwait(false);
                if (bound.Spec?.NodeName != nodeName)
                {
                    // The server accepted the request but did not bind: treat pods/binding as unsupported.
                    _bindingUnsupported = true;
                    bound = null;
                }
            }
            catch (Exception e) when (Patches.Code(e) is 400 or 404 or 405 or 415 or 422 or 500 or 501)
            {
                if (Patches.IsNotFound(e) && await PodGoneAsync(ns, name, ct).ConfigureAwait(false)) return;
                Log.LogInformation("pods/binding refused ({Code}); binding through spec.nodeName", Patches.Code(e));
                _bindingUnsupported = true;
            }
        }

        if (bound is null)
        {
            var patch = Patches.Merge(new { metadata = new { resourceVersion = pod.Metadata.ResourceVersion }, spec = new { nodeName } });
            bound = await _client.CoreV1.PatchNamespacedPodAsync(patch, name, ns, cancellationToken: ct).ConfigureAwait(false);
            var conditions = PodConditions.Set(bound.Status?.Conditions, new V1PodCondition
            {
                Type = "PodScheduled",
                Status = "True",
                LastTransitionTime = _options.Clock.GetUtcNow().UtcDateTime,
            });
            bound = await _client.CoreV1.PatchNamespacedPodStatusAsync(Patches.Merge(new { status = new { conditions } }), name, ns, cancellationToken: ct)
                .ConfigureAwait(false);
        }

        Caches.Pods.Upsert(bound);
        Log.LogInformation("bound {Namespace}/{Pod} to {Node}", ns, name, nodeName);
        await _events.NormalAsync(SchedulerName, null, EventTarget.Of(pod), "Scheduled",
            $"Successfully assigned {ns}/{name} to {nodeName}", ct).ConfigureAwait(false);
    }

    private async Task<bool> PodGoneAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            await _client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct).ConfigureAwait(false);
            return false;
        }
        catch (Exception e) when (Patches.IsNotFound(e))
        {
            return true;
        }
    }

    /// <summary>Sets PodScheduled=False/Unschedulable and emits FailedScheduling when the message changed or the retry interval passed.</summary>
    private async Task<TimeSpan?> RecordFailureAsync(V1Pod pod, string message, CancellationToken ct)
    {
        var now = _options.Clock.GetUtcNow();
        if (_failures.TryGetValue(pod.Metadata.Uid, out var last) && last.Message == message && now - last.At < _options.SchedulerRetryInterval)
        {
            return _options.SchedulerRetryInterval - (now - last.At);
        }

        if (last.Message != message) Log.LogInformation("{Namespace}/{Pod} unschedulable: {Message}", pod.Metadata.NamespaceProperty, pod.Metadata.Name, message);
        _failures[pod.Metadata.Uid] = (message, now);
        var current = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (current is not { Status: "False", Reason: "Unschedulable" } || current.Message != message)
        {
            var conditions = PodConditions.Set(pod.Status?.Conditions, new V1PodCondition
            {
                Type = "PodScheduled",
                Status = "False",
                Reason = "Unschedulable",
                Message = message,
                LastTransitionTime = now.UtcDateTime,
            });
            try
            {
                var updated = await _client.CoreV1.PatchNamespacedPodStatusAsync(Patches.Merge(new { status = new { conditions } }),
                    pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                Caches.Pods.Upsert(updated);
            }
            catch (Exception e) when (Patches.IsNotFound(e))
            {
                return null;
            }
        }

        await _events.WarningAsync(SchedulerName, null, EventTarget.Of(pod), "FailedScheduling", message, ct).ConfigureAwait(false);
        return _options.SchedulerRetryInterval;
    }
}
