namespace Flock.Sandbox.Cluster;

/// <summary>How the simulated kubelets behave in time (all delays are short so tests stay fast).</summary>
public sealed record KubeletOptions
{
    /// <summary>From binding to the containers running (image pull, sandbox, start).</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How long a container runs before an injected exit (<see cref="Kubelet.CrashLoop"/>, <see cref="Kubelet.ExitWith"/>).</summary>
    public TimeSpan RunDuration { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>Back-off before a crashed container restarts (the real kubelet starts at 10s and doubles to 5m).</summary>
    public TimeSpan CrashLoopBackOff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long ErrImagePull shows before ImagePullBackOff, and between pull retries.</summary>
    public TimeSpan ImagePullBackOff { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>From deletionTimestamp to the kubelet confirming the deletion (grace period 0).</summary>
    public TimeSpan TerminationDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Pods with restartPolicy Never/OnFailure and no injected behaviour exit 0 after <see cref="RunDuration"/>.</summary>
    public bool CompleteBatchPods { get; init; } = true;
}

/// <summary>What <see cref="SimulatedCluster"/> creates and how its loops behave.</summary>
public sealed record ClusterOptions
{
    /// <summary>Nodes registered at start; <see cref="NodeSpec.Demo"/> by default.</summary>
    public IReadOnlyList<NodeSpec> Nodes { get; init; } = NodeSpec.Demo();

    public KubeletOptions Kubelet { get; init; } = new();

    /// <summary>Kubernetes version the nodes report (nodeInfo.kubeletVersion).</summary>
    public string KubernetesVersion { get; init; } = "v1.32.2";

    /// <summary>StorageClasses that provision volumes; the first one is the default class.</summary>
    public IReadOnlyList<string> StorageClasses { get; init; } = ["standard"];

    /// <summary>From PVC creation to Bound.</summary>
    public TimeSpan VolumeBindDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Back-off of the Job controller before it replaces a failed pod (10s doubling in Kubernetes).</summary>
    public TimeSpan JobBackOff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the scheduler retries an unschedulable pod when nothing changed (and re-emits FailedScheduling).</summary>
    public TimeSpan SchedulerRetryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Bind through pods/binding (true, what kube-scheduler does) with a fallback to patching spec.nodeName when the server refuses it.</summary>
    public bool UseBindingSubresource { get; init; } = true;

    /// <summary>Clock of every loop (deadlines, timestamps).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}
