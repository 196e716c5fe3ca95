using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;

namespace Flock.Sandbox.Cluster.Kubelets;

/// <summary>
/// Builds the status the kubelet reports for a pod (generateAPIPodStatus): phase from the container
/// states and restartPolicy, the five pod conditions, container statuses with state/lastState, and
/// the sandbox addresses. Pure, so the transitions are unit-testable.
/// </summary>
internal static class PodStatusBuilder
{
    public static V1PodStatus Build(V1Pod pod, PodRuntime runtime, KubeletOptions options, DateTimeOffset now)
    {
        var phase = Phase(runtime.Containers);
        var terminal = phase is "Succeeded" or "Failed";
        var unready = runtime.Containers.Where(c => c.Phase != ContainerPhase.Running).Select(c => c.Name).ToList();
        var existing = pod.Status?.Conditions;
        var at = now.UtcDateTime;
        var initialized = runtime.InitContainers.Count == 0 || runtime.SandboxReady;

        var conditions = existing?.ToList() ?? [];
        conditions = PodConditions.Set(conditions, Condition("PodReadyToStartContainers", runtime.SandboxReady && !terminal, at));
        conditions = PodConditions.Set(conditions, initialized
            ? Condition("Initialized", true, at)
            : Condition("Initialized", false, at, "ContainersNotInitialized", $"containers with incomplete status: [{string.Join(' ', runtime.InitContainers.Select(i => i.Name))}]"));
        var (reason, message) = terminal ? ("PodCompleted", (string?)null) : ("ContainersNotReady", $"containers with unready status: [{string.Join(' ', unready)}]");
        var ready = !terminal && unready.Count == 0;
        conditions = PodConditions.Set(conditions, ready ? Condition("Ready", true, at) : Condition("Ready", false, at, reason, message));
        conditions = PodConditions.Set(conditions, ready ? Condition("ContainersReady", true, at) : Condition("ContainersReady", false, at, reason, message));
        conditions = PodConditions.Set(conditions, Condition("PodScheduled", true, at));
        string[] order = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"];
        conditions = conditions.OrderBy(c => Array.IndexOf(order, c.Type) is var i and >= 0 ? i : order.Length).ToList();

        return new V1PodStatus
        {
            Phase = phase,
            Conditions = conditions,
            HostIP = runtime.HostIp,
            HostIPs = [new V1HostIP { Ip = runtime.HostIp }],
            PodIP = runtime.SandboxReady ? runtime.PodIp : null,
            PodIPs = runtime.SandboxReady ? [new V1PodIP { Ip = runtime.PodIp }] : null,
            StartTime = runtime.StartTime.UtcDateTime,
            QosClass = pod.Status?.QosClass,
            InitContainerStatuses = runtime.InitContainers.Count == 0 ? null : runtime.InitContainers.Select(i => InitStatus(i.Name, i.Image, runtime)).ToList(),
            ContainerStatuses = runtime.Containers.Select(c => ContainerStatus(pod, c, options)).ToList(),
        };
    }

    /// <summary>PodPhase from the containers (kubelet getPhase, simplified to one pass).</summary>
    public static string Phase(IReadOnlyList<ContainerRuntime> containers)
    {
        if (containers.Count > 0 && containers.All(c => c.Phase == ContainerPhase.Terminated))
        {
            return containers.All(c => c.Terminated?.ExitCode == 0) ? "Succeeded" : "Failed";
        }

        return containers.Any(c => c.Phase is ContainerPhase.Running or ContainerPhase.Terminated || c.HasEverRun) ? "Running" : "Pending";
    }

    public static V1ContainerStatus ContainerStatus(V1Pod pod, ContainerRuntime c, KubeletOptions options)
    {
        var pulled = c.HasEverRun || c.Phase is ContainerPhase.Running or ContainerPhase.Terminated;
        return new V1ContainerStatus
        {
            Name = c.Name,
            Image = ContainerLifecycle.NormalizeImage(c.Image),
            ImageID = pulled ? ContainerLifecycle.ImageId(c.Image) : "",
            ContainerID = c.Phase is ContainerPhase.Running or ContainerPhase.Terminated ? c.ContainerId : c.LastTermination?.ContainerId,
            Ready = c.Phase == ContainerPhase.Running,
            Started = c.Phase == ContainerPhase.Running,
            RestartCount = c.RestartCount,
            State = State(pod, c, options),
            LastState = c.LastTermination is { } t ? new V1ContainerState { Terminated = Terminated(t) } : new V1ContainerState(),
        };
    }

    private static V1ContainerState State(V1Pod pod, ContainerRuntime c, KubeletOptions options)
    {
        var reference = ContainerLifecycle.NormalizeImage(c.Image);
        return c.Phase switch
        {
            ContainerPhase.Creating => Waiting("ContainerCreating", null),
            ContainerPhase.PullError => Waiting("ErrImagePull",
                $"rpc error: code = NotFound desc = failed to pull and unpack image \"{reference}\": failed to resolve reference \"{reference}\": {reference}: not found"),
            ContainerPhase.PullBackOff => Waiting("ImagePullBackOff", $"Back-off pulling image \"{c.Image}\""),
            ContainerPhase.CrashBackOff => Waiting("CrashLoopBackOff",
                ContainerLifecycle.CrashLoopMessage(c.Name, pod.Metadata.Name, pod.Metadata.NamespaceProperty, pod.Metadata.Uid, options.CrashLoopBackOff)),
            ContainerPhase.Running => new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = c.StartedAt?.UtcDateTime } },
            _ => new V1ContainerState { Terminated = Terminated(c.Terminated!) },
        };
    }

    private static V1ContainerStatus InitStatus(string name, string image, PodRuntime runtime) => new()
    {
        Name = name,
        Image = ContainerLifecycle.NormalizeImage(image),
        ImageID = runtime.SandboxReady ? ContainerLifecycle.ImageId(image) : "",
        Ready = runtime.SandboxReady,
        Started = false,
        RestartCount = 0,
        State = runtime.SandboxReady
            ? new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = runtime.StartTime.UtcDateTime, FinishedAt = runtime.StartTime.UtcDateTime } }
            : Waiting("PodInitializing", null),
        LastState = new V1ContainerState(),
    };

    private static V1ContainerState Waiting(string reason, string? message) =>
        new() { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } };

    private static V1ContainerStateTerminated Terminated(Termination t) => new()
    {
        ExitCode = t.ExitCode,
        Reason = t.Reason,
        StartedAt = t.StartedAt.UtcDateTime,
        FinishedAt = t.FinishedAt.UtcDateTime,
        ContainerID = t.ContainerId,
    };

    private static V1PodCondition Condition(string type, bool status, DateTime at, string? reason = null, string? message = null) => new()
    {
        Type = type,
        Status = status ? "True" : "False",
        LastTransitionTime = at,
        Reason = reason,
        Message = message,
    };
}
