namespace Flock.Operator.Runtime.Hosting;

/// <summary>What /readyz reports: caches synced and, when leader election is on, this instance leading.</summary>
public sealed class HealthState
{
    private volatile bool _synced;
    private volatile bool _leading;

    public bool LeaderElectionEnabled { get; init; }

    public bool Synced => _synced;

    public bool Leading => _leading;

    public bool Ready => _synced && (!LeaderElectionEnabled || _leading);

    public void MarkSynced() => _synced = true;

    public void SetLeading(bool leading) => _leading = leading;
}
