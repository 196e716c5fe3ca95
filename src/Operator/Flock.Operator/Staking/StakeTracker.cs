using System.Collections.Concurrent;
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
/// </summary>
public sealed partial class StakeTracker(StakeTrackerOptions options, TimeProvider time, ILogger<StakeTracker> logger, Telemetry.FlockMetrics? metrics = null)
    : BackgroundService
{
    private readonly ConcurrentDictionary<StakeKey, Entry> _entries = new();
    private readonly ConcurrentDictionary<ChainSettings, StakingReader> _readers = new();
    private readonly ConcurrentDictionary<ChainSettings, Task> _followers = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Func<IEnumerable<StakeKey>>> _sources = [];
    private CancellationToken _stopping;

    private sealed class Entry(StakeKey key)
    {
        public StakeKey Key { get; } = key;
        private long _dueTicks;

        public StakeSnapshot Snapshot { get; set; } = new(key, null, null, null);

        // Set from the event follower's thread as well as the loop: kept as one atomic long.
        public DateTimeOffset Due
        {
            get => new(Interlocked.Read(ref _dueTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _dueTicks, value.UtcTicks);
        }

        public TimeSpan Backoff { get; set; }
    }

    private readonly ChannelSource<StakeKey> _changes = new();

    /// <summary>Raised when a stake's snapshot changed.</summary>
    public event Action<StakeKey>? Changed;

    /// <summary>The stakes whose snapshot changed, as a source controllers watch.</summary>
    public IEventSource<StakeKey> Changes => _changes;

    /// <summary>Adds a source of the stakes in use; a stake stays tracked while some source names it.</summary>
    public void TrackFrom(Func<IEnumerable<StakeKey>> keysInUse)
    {
        lock (_sources)
        {
            _sources.Add(keysInUse);
        }
    }

    public StakeSnapshot Watch(StakeKey key) =>
        _entries.GetOrAdd(key, k =>
        {
            _wake.Release();
            return new Entry(k) { Due = time.GetUtcNow() };
        }).Snapshot;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        _stopping = stop;
        while (!stop.IsCancellationRequested)
        {
            var inUse = KeysInUse();
            foreach (var key in inUse ?? []) Watch(key);
            var now = time.GetUtcNow();
            foreach (var entry in _entries.Values)
            {
                if (inUse is not null && !inUse.Contains(entry.Key))
                {
                    _entries.TryRemove(entry.Key, out _);
                    continue;
                }

                EnsureFollower(entry.Key.Chain);
                if (entry.Due <= now) await ReadAsync(entry, stop).ConfigureAwait(false);
            }

            var next = _entries.Values.Select(e => e.Due).DefaultIfEmpty(now + options.PollInterval).Min();
            var wait = next - time.GetUtcNow();
            try
            {
                await _wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait < options.PollInterval ? wait : options.PollInterval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        foreach (var reader in _readers.Values) reader.Dispose();
    }

    private async Task ReadAsync(Entry entry, CancellationToken stop)
    {
        var before = entry.Snapshot;
        var reader = _readers.GetOrAdd(entry.Key.Chain, chain => new StakingReader(chain, metrics: metrics));
        try
        {
            var reading = await reader.ReadAsync(entry.Key.TaskId, entry.Key.Address, entry.Key.Role, stop).ConfigureAwait(false);
            if (before.Reading is { } earlier && reading.Block < earlier.Block)
            {
                // A node behind the one read before: taking its answer would roll the stake back (and stop a staked worker).
                throw new StakingReadException(StakingReadError.BehindLastRead,
                    $"the RPC node answers from block {reading.Block}, behind block {earlier.Block} read before; the earlier reading stands");
            }

            var now = time.GetUtcNow();
            // The same values keep their block and time until the report interval passes, so status is not rewritten every poll.
            var same = before.Reading is { } old && SameValues(old, reading) && before.LastSync is { } last && now - last < options.SyncReportInterval;
            entry.Snapshot = same ? before with { LastError = null } : new StakeSnapshot(entry.Key, reading, now, null);
            entry.Backoff = TimeSpan.Zero;
            entry.Due = now + options.PollInterval;
        }
        catch (StakingReadException e)
        {
            entry.Snapshot = before with { LastError = e };
            entry.Backoff = entry.Backoff == TimeSpan.Zero ? options.ErrorBackoff : TimeSpan.FromTicks(Math.Min(entry.Backoff.Ticks * 2, options.PollInterval.Ticks));
            entry.Due = time.GetUtcNow() + entry.Backoff;
            LogReadFailed(entry.Key.TaskId, e.Reason, entry.Key.Chain.ToString());
        }

        var changed = before.Reading != entry.Snapshot.Reading || before.LastSync != entry.Snapshot.LastSync
            || before.LastError?.Reason != entry.Snapshot.LastError?.Reason;
        if (changed)
        {
            _changes.Publish(entry.Key);
            Changed?.Invoke(entry.Key);
        }
    }

    private static bool SameValues(StakeReading a, StakeReading b) =>
        a.Amount == b.Amount && a.Minimum == b.Minimum && a.OtherRoleStaked == b.OtherRoleStaked && a.TaskCompleted == b.TaskCompleted;

    // One follower per chain for the life of the process; its events make the matching stakes due now.
    private void EnsureFollower(ChainSettings chain)
    {
        _followers.GetOrAdd(chain, c =>
        {
            var follower = new StakeEventFollower(c, (e, _) =>
            {
                foreach (var entry in _entries.Values.Where(x => x.Key.Chain == c && x.Key.TaskId == e.TaskId
                             && (e.Address is null || string.Equals(x.Key.Address, e.Address, StringComparison.OrdinalIgnoreCase))))
                {
                    entry.Due = time.GetUtcNow();
                }

                _wake.Release();
                return ValueTask.CompletedTask;
            }, new StakeEventFollowerOptions { PollInterval = options.EventPollInterval }, time, metrics);
            return Task.Run(async () =>
            {
                using (follower)
                {
                    try
                    {
                        await follower.RunAsync(_stopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                    catch (Exception e)
                    {
                        LogFollowerStopped(e, c.ToString());
                    }
                }
            });
        });
    }

    private HashSet<StakeKey>? KeysInUse()
    {
        lock (_sources)
        {
            return _sources.Count == 0 ? null : _sources.SelectMany(s => s()).ToHashSet();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "reading the stake on task {TaskId} failed ({Reason}) on {Chain}")]
    private partial void LogReadFailed(long taskId, StakingReadError reason, string chain);

    [LoggerMessage(Level = LogLevel.Error, Message = "the stake event follower for {Chain} stopped")]
    private partial void LogFollowerStopped(Exception e, string chain);
}
