namespace Flock.Sandbox.Cluster.Kubelets;

/// <summary>The simulated runtime of one pod on its node: sandbox addresses, start time and container states.</summary>
internal sealed record PodRuntime(string Uid, string Node, DateTimeOffset StartTime, string PodIp, string HostIp, IReadOnlyList<ContainerRuntime> Containers)
{
    /// <summary>Names of init containers; the sandbox runs them to completion together with the sandbox start.</summary>
    public IReadOnlyList<(string Name, string Image)> InitContainers { get; init; } = [];

    public bool SandboxReady => Containers.Any(c => c.Phase != ContainerPhase.Creating);
}
