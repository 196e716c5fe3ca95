namespace Flock.Sandbox.Cluster.Kubelets;

/// <summary>Where one simulated container is in its life.</summary>
internal enum ContainerPhase
{
    /// <summary>Waiting ContainerCreating: sandbox and image pull under way.</summary>
    Creating,

    /// <summary>Waiting ErrImagePull.</summary>
    PullError,

    /// <summary>Waiting ImagePullBackOff.</summary>
    PullBackOff,

    Running,

    /// <summary>Waiting CrashLoopBackOff between two runs.</summary>
    CrashBackOff,

    /// <summary>Terminated for good (restartPolicy does not restart it).</summary>
    Terminated,
}

/// <summary>A container's termination as status.state.terminated / lastState.terminated report it.</summary>
internal sealed record Termination(int ExitCode, string Reason, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, string ContainerId);

/// <summary>The simulated runtime state of one container (immutable; each transition makes a new one).</summary>
internal sealed record ContainerRuntime(string Name, string Image, ContainerPhase Phase, DateTimeOffset Since)
{
    public int RestartCount { get; init; }

    public string? ContainerId { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The current termination (Phase Terminated).</summary>
    public Termination? Terminated { get; init; }

    /// <summary>The previous run's termination (lastState).</summary>
    public Termination? LastTermination { get; init; }

    /// <summary>Pull attempts that failed in a row (backs ImagePullBackOff off).</summary>
    public int PullFailures { get; init; }

    public bool HasEverRun => StartedAt is not null || LastTermination is not null;
}

/// <summary>Something the kubelet did that deserves an event.</summary>
internal sealed record KubeletEvent(string Type, string Reason, string Message, string Container);
