namespace Flock.Sandbox.Cluster.Kubelets;

/// <summary>What the simulated container runtime does with containers of an image.</summary>
public enum ImageBehaviourKind
{
    /// <summary>Pulls fail: ErrImagePull, then ImagePullBackOff, retried forever.</summary>
    PullFails,

    /// <summary>The container runs for a while then exits with the code, every time it is started.</summary>
    CrashLoop,

    /// <summary>The container runs for a while then exits with the code (a batch workload).</summary>
    Exit,
}

/// <summary>An injected behaviour for one image.</summary>
public sealed record ImageBehaviour(ImageBehaviourKind Kind, int ExitCode = 0);
