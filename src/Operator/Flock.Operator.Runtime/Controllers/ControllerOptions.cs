namespace Flock.Operator.Runtime.Controllers;

public sealed record ControllerOptions
{
    /// <summary>Concurrent reconciles (never two on one key).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>How long in-flight reconciles may run on after shutdown begins before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for the informers' first list before giving up (controller-runtime: 2 minutes).</summary>
    public TimeSpan CacheSyncTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
