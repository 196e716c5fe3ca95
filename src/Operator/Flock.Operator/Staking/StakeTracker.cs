using Flock.Operator.Runtime.Polling;
using Flock.Operator.Runtime.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Staking;

/// <summary>One wallet's stake in one role on one task, on one chain.</summary>
public sealed record StakeKey(ChainSettings Chain, long TaskId, string Address, StakeRole Role)
{
    public static StakeKey Of(ChainSettings chain, long taskId, string address, StakeRole role) =>
        new(chain, taskId, address.ToLowerInvariant(), role);
}

/// <summary>The last reading of a stake (kept through errors) and the last error, if any.</summary>
/// <param name="Recorded">The reading is the resource's status, not this process's own read (see <see cref="RecordedStakes"/>).</param>
public sealed record StakeSnapshot(StakeKey Key, StakeReading? Reading, DateTimeOffset? LastSync, StakingReadException? LastError, bool Recorded = false);

public sealed record StakeTrackerOptions
{
    /// <summary>Time between two reads of one stake when no event says it changed.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time between two looks for new stake events (about one Base block).</summary>
    public TimeSpan EventPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First retry after a failed read; doubles up to the poll interval.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>While a stake does not change, its block and lastSync move on only this often (bounds status writes).</summary>
    public TimeSpan SyncReportInterval { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>
/// Keeps the stakes the resources care about: one read per stake per interval for the whole operator,
/// and, per chain, an event follower that re-reads a stake as soon as a deposit, withdrawal or task end
/// for it appears on chain, so a stake change reaches status within about one block, not one poll.
/// The polling is the runtime's <see cref="KeyedPoller{TKey, TSnapshot}"/>; a read is <see cref="StakeReads"/>,
/// the followers are <see cref="StakeEventFollowers"/>.
/// </summary>
public sealed class StakeTracker : BackgroundService
{
    private readonly KeyedPoller<StakeKey, StakeSnapshot> _poller;
    private readonly StakeReads _reads;

    public StakeTracker(StakeTrackerOptions options, TimeProvider time, ILogger<StakeTracker> logger, Telemetry.FlockMetrics? metrics = null)
    {
        var followers = new StakeEventFollowers(options.EventPollInterval, time, logger, metrics, OnStakeEvent);
        _reads = new StakeReads(options, time, logger, metrics, followers.Ensure);
        // No jitter: stakes are read on the event followers' signal far more than on the interval.
        _poller = new KeyedPoller<StakeKey, StakeSnapshot>(_reads,
            new KeyedPollerOptions { PollInterval = options.PollInterval, ErrorBackoff = options.ErrorBackoff, Jitter = 0 }, time);
    }

    /// <summary>Raised when a stake's snapshot changed.</summary>
    public event Action<StakeKey>? Changed
    {
        add => _poller.Changed += value;
        remove => _poller.Changed -= value;
    }

    /// <summary>The stakes whose snapshot changed, as a source controllers watch.</summary>
    public IEventSource<StakeKey> Changes => _poller.Changes;

    /// <summary>Adds a source of the stakes in use; a stake stays tracked while some source names it.</summary>
    public void TrackFrom(Func<IEnumerable<StakeKey>> keysInUse) => _poller.TrackFrom(keysInUse);

    public StakeSnapshot Watch(StakeKey key) => _poller.Watch(key);

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        try
        {
            await _poller.RunAsync(stop).ConfigureAwait(false);
        }
        finally
        {
            _reads.Dispose();
        }
    }

    // An event on chain makes the stakes it concerns due now: the same task on the same chain, and the same wallet
    // unless the event concerns every wallet (a task's end).
    private void OnStakeEvent(ChainSettings chain, StakeEvent e) =>
        _poller.PollSoon(key => key.Chain == chain && key.TaskId == e.TaskId
            && (e.Address is null || string.Equals(key.Address, e.Address, StringComparison.OrdinalIgnoreCase)));
}
