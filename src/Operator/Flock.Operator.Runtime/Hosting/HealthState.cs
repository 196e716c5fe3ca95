namespace Flock.Operator.Runtime.Hosting;

/// <summary>
/// What /readyz reports: caches synced. Leadership is not part of readiness (as with controller-runtime):
/// a standby with warm caches is ready to take over, and a standby that never turned Ready would stall
/// every rolling update and leave a PodDisruptionBudget with no eviction to spare.
/// </summary>
public sealed class HealthState
{
    private volatile bool _synced;
    private volatile bool _leading;

    public bool LeaderElectionEnabled { get; init; }

    public bool Synced => _synced;

    public bool Leading => _leading;

    public bool Ready => _synced;

    public void MarkSynced() => _synced = true;

    public void SetLeading(bool leading) => _leading = leading;
}
