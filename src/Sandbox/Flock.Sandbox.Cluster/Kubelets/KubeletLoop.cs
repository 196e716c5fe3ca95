using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Kubelets;

/// <summary>
/// The kubelets of every simulated node in one loop: runs the pods bound to those nodes through the
/// container state machine, reports their status through pods/status, emits the kubelet's events,
/// and completes deletions (a pod with deletionTimestamp is deleted with grace period 0 once its
/// containers are "stopped").
/// </summary>
internal sealed class KubeletLoop : ControllerLoop
{
    private const string Component = "kubelet";

    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly Kubelet _control;
    private readonly ClusterOptions _options;
    private readonly Func<IReadOnlyList<string>> _nodes;
    private readonly Dictionary<string, PodRuntime> _runtimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _written = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _deleting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _nextIp = new(StringComparer.Ordinal);

    public KubeletLoop(IKubernetes client, ClusterCaches caches, EventRecorder events, Kubelet control, ClusterOptions options,
        Func<IReadOnlyList<string>> nodes, ILogger log)
        : base(caches, log)
    {
        _client = client;
        _events = events;
        _control = control;
        _options = options;
        _nodes = nodes;
        WatchInformer(caches.Pods);
        WatchInformer(caches.Nodes);
        control.Changed += Wake;
    }

    protected override async Task<TimeSpan?> ReconcileAsync(CancellationToken ct)
    {
        var now = _options.Clock.GetUtcNow();
        var nodes = _nodes();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? next = null;
        foreach (var pod in Caches.Pods.List().Where(p => p.Spec?.NodeName is { } n && nodes.Contains(n)))
        {
            var uid = pod.Metadata.Uid;
            seen.Add(uid);
            var retry = await GuardAsync(pod.Metadata.Name, async () =>
            {
                var due = pod.Metadata.DeletionTimestamp is not null
                    ? await TerminateAsync(pod, now, ct).ConfigureAwait(false)
                    : await SyncPodAsync(pod, nodes, now, ct).ConfigureAwait(false);
                if (due is not null && (next is null || due < next)) next = due;
                return null;
            }, ct).ConfigureAwait(false);
            if (retry is not null && (next is null || now + retry.Value < next)) next = now + retry.Value;
        }

        foreach (var gone in _runtimes.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _runtimes.Remove(gone);
            _written.Remove(gone);
            _deleting.Remove(gone);
        }

        return next is null ? null : next.Value - _options.Clock.GetUtcNow();
    }

    private async Task<DateTimeOffset?> SyncPodAsync(V1Pod pod, IReadOnlyList<string> nodes, DateTimeOffset now, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        if (!_runtimes.TryGetValue(uid, out var runtime))
        {
            // A pod that finished before this kubelet started stays as it is.
            if (pod.Status?.Phase is "Succeeded" or "Failed") return null;
            runtime = Admit(pod, nodes, now);
            _runtimes[uid] = runtime;
            foreach (var c in runtime.Containers.Where(c => c.Phase == ContainerPhase.Creating))
            {
                await EventAsync(pod, new KubeletEvent("Normal", "Pulling", $"Pulling image \"{c.Image}\"", c.Name), ct).ConfigureAwait(false);
            }
        }

        var restartPolicy = pod.Spec.RestartPolicy ?? "Always";
        var batch = _options.Kubelet.CompleteBatchPods;
        DateTimeOffset? next = null;
        var containers = runtime.Containers.ToList();
        for (var i = 0; i < containers.Count; i++)
        {
            // A few steps at most per pass: each step is one state change the status should show.
            for (var step = 0; step < 4; step++)
            {
                var before = containers[i];
                var (after, due, ev) = ContainerLifecycle.Advance(before, _control.BehaviourOf(before.Image), restartPolicy, batch, _options.Kubelet, now);
                containers[i] = after;
                if (ev is not null) await OnContainerEventAsync(pod, before, after, ev, ct).ConfigureAwait(false);
                if (ReferenceEquals(after, before) || due is null || due > now)
                {
                    if (due is not null && (next is null || due < next)) next = due;
                    break;
                }
            }
        }

        runtime = runtime with { Containers = containers };
        _runtimes[uid] = runtime;
        await WriteStatusAsync(pod, runtime, now, ct).ConfigureAwait(false);
        return next;
    }

    private PodRuntime Admit(V1Pod pod, IReadOnlyList<string> nodes, DateTimeOffset now)
    {
        var node = pod.Spec.NodeName;
        var hostIp = Caches.Nodes.Get(null, node)?.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address
                     ?? $"10.0.0.{10 + IndexOf(nodes, node)}";
        var n = _nextIp.GetValueOrDefault(node) + 1;
        _nextIp[node] = n;

        // Each node gets its own pod /24, numbered after its host address so it stays stable when nodes come and go.
        var subnet = int.TryParse(hostIp[(hostIp.LastIndexOf('.') + 1)..], out var octet) ? Math.Max(0, octet - 10) : IndexOf(nodes, node);
        var podIp = $"10.244.{subnet}.{n % 250 + 2}";

        // A pod already running (the cluster was restarted against a live server) is adopted as it is.
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var containers = pod.Spec.Containers.Select(c =>
        {
            var s = statuses.FirstOrDefault(x => x.Name == c.Name);
            if (s?.State?.Running?.StartedAt is { } started)
            {
                return new ContainerRuntime(c.Name, c.Image, ContainerPhase.Running, new DateTimeOffset(started, TimeSpan.Zero))
                {
                    StartedAt = new DateTimeOffset(started, TimeSpan.Zero),
                    ContainerId = s.ContainerID,
                    RestartCount = s.RestartCount,
                };
            }

            return new ContainerRuntime(c.Name, c.Image, ContainerPhase.Creating, now);
        }).ToList();
        var startTime = pod.Status?.StartTime is { } st ? new DateTimeOffset(st, TimeSpan.Zero) : now;
        return new PodRuntime(pod.Metadata.Uid, node, startTime, pod.Status?.PodIP ?? podIp, hostIp, containers)
        {
            InitContainers = (pod.Spec.InitContainers ?? []).Select(c => (c.Name, c.Image)).ToList(),
        };
    }

    private static int IndexOf(IReadOnlyList<string> nodes, string node)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i] == node) return i;
        }

        return 0;
    }

    private async Task OnContainerEventAsync(V1Pod pod, ContainerRuntime before, ContainerRuntime after, KubeletEvent ev, CancellationToken ct)
    {
        Log.LogDebug("{Node}: {Namespace}/{Pod} container {Container}: {Reason} {Message}", pod.Spec.NodeName, pod.Metadata.NamespaceProperty,
            pod.Metadata.Name, after.Name, ev.Reason, ev.Message);
        if (ev.Reason == "Started")
        {
            var pulled = before.Phase is ContainerPhase.Creating or ContainerPhase.PullBackOff && !before.HasEverRun
                ? $"Successfully pulled image \"{after.Image}\" in 1.2s (1.2s including waiting). Image size: 52428800 bytes."
                : $"Container image \"{after.Image}\" already present on machine";
            await EventAsync(pod, new KubeletEvent("Normal", "Pulled", pulled, after.Name), ct).ConfigureAwait(false);
            await EventAsync(pod, new KubeletEvent("Normal", "Created", $"Created container: {after.Name}", after.Name), ct).ConfigureAwait(false);
            await EventAsync(pod, ev, ct).ConfigureAwait(false);
            foreach (var line in _control.StartLogsOf(after.Image))
            {
                _control.AppendLog(pod.Metadata.NamespaceProperty, pod.Metadata.Name, after.Name, line);
            }

            return;
        }

        if (ev.Reason == "BackOff" && after.Phase == ContainerPhase.CrashBackOff)
        {
            ev = ev with { Message = $"{ev.Message} in pod {pod.Metadata.Name}_{pod.Metadata.NamespaceProperty}({pod.Metadata.Uid})" };
        }

        await EventAsync(pod, ev, ct).ConfigureAwait(false);
        if (ev.Reason == "Failed") await EventAsync(pod, ev with { Message = "Error: ErrImagePull" }, ct).ConfigureAwait(false);
        if (ev.Reason == "BackOff" && after.Phase == ContainerPhase.PullBackOff)
        {
            await EventAsync(pod, new KubeletEvent("Warning", "Failed", "Error: ImagePullBackOff", after.Name), ct).ConfigureAwait(false);
        }
    }

    private Task EventAsync(V1Pod pod, KubeletEvent ev, CancellationToken ct)
    {
        var target = EventTarget.Of(pod, $"spec.containers{{{ev.Container}}}");
        return ev.Type == "Warning"
            ? _events.WarningAsync(Component, pod.Spec.NodeName, target, ev.Reason, ev.Message, ct)
            : _events.NormalAsync(Component, pod.Spec.NodeName, target, ev.Reason, ev.Message, ct);
    }

    private async Task WriteStatusAsync(V1Pod pod, PodRuntime runtime, DateTimeOffset now, CancellationToken ct)
    {
        var status = PodStatusBuilder.Build(pod, runtime, _options.Kubelet, now);
        var json = KubernetesJson.Serialize(status);
        if (_written.TryGetValue(pod.Metadata.Uid, out var last) && last == json) return;
        try
        {
            var updated = await _client.CoreV1.PatchNamespacedPodStatusAsync(Patches.Status(status, pod.Status), pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                cancellationToken: ct).ConfigureAwait(false);
            _written[pod.Metadata.Uid] = json;
            Caches.Pods.Upsert(updated);
        }
        catch (Exception e) when (Patches.IsNotFound(e))
        {
            _runtimes.Remove(pod.Metadata.Uid);
        }
    }

    /// <summary>Stops the containers of a pod being deleted, then confirms the deletion (gracePeriodSeconds=0).</summary>
    private async Task<DateTimeOffset?> TerminateAsync(V1Pod pod, DateTimeOffset now, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        if (!_deleting.TryGetValue(uid, out var since))
        {
            _deleting[uid] = since = now;
            if (_runtimes.TryGetValue(uid, out var runtime))
            {
                foreach (var c in runtime.Containers.Where(c => c.Phase == ContainerPhase.Running))
                {
                    await EventAsync(pod, new KubeletEvent("Normal", "Killing", $"Stopping container {c.Name}", c.Name), ct).ConfigureAwait(false);
                }
            }
        }

        var due = since + _options.Kubelet.TerminationDelay;
        if (now < due) return due;
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = uid } }, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Patches.IsNotFound(e) || Patches.IsConflict(e))
        {
            // Already gone, or a newer pod of the same name: nothing left to confirm.
        }

        // The watch reports the removal (a pod with finalizers stays until they are gone).
        _runtimes.Remove(uid);
        _written.Remove(uid);
        return null;
    }
}
