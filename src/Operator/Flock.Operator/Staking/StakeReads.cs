using System.Collections.Concurrent;
using Flock.Operator.Runtime.Polling;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Staking;

/// <summary>
/// One read of one stake for the <see cref="StakeTracker"/>, with one <see cref="StakingReader"/> per chain. A
/// reading from a block behind the last one is refused (the earlier reading stands); unchanged values keep their
/// block and lastSync until <see cref="StakeTrackerOptions.SyncReportInterval"/> passes, so status is not rewritten
/// every poll.
/// </summary>
internal sealed partial class StakeReads(StakeTrackerOptions options, TimeProvider time, ILogger logger, Telemetry.FlockMetrics? metrics,
    Action<ChainSettings, CancellationToken> chainInUse) : IPollTarget<StakeKey, StakeSnapshot>, IDisposable
{
    private readonly ConcurrentDictionary<ChainSettings, StakingReader> _readers = new();

    public StakeSnapshot Unread(StakeKey key) => new(key, null, null, null);

    public async Task<PollResult<StakeSnapshot>> PollAsync(PollAttempt<StakeKey, StakeSnapshot> attempt, CancellationToken stop)
    {
        var (key, before) = (attempt.Key, attempt.Before);
        chainInUse(key.Chain, stop);
        var reader = _readers.GetOrAdd(key.Chain, chain => new StakingReader(chain, metrics: metrics));
        try
        {
            var reading = await reader.ReadAsync(key.TaskId, key.Address, key.Role, stop).ConfigureAwait(false);
            if (before.Reading is { } earlier && reading.Block < earlier.Block)
            {
                // A node behind the one read before: taking its answer would roll the stake back (and stop a staked worker).
                throw new StakingReadException(StakingReadError.BehindLastRead,
                    $"the RPC node answers from block {reading.Block}, behind block {earlier.Block} read before; the earlier reading stands");
            }

            var now = time.GetUtcNow();
            // The same values keep their block and time until the report interval passes, so status is not rewritten every poll.
            var same = before.Reading is { } old && SameValues(old, reading) && before.LastSync is { } last && now - last < options.SyncReportInterval;
            return PollResult<StakeSnapshot>.Success(same ? before with { LastError = null } : new StakeSnapshot(key, reading, now, null));
        }
        catch (StakingReadException e)
        {
            LogReadFailed(key.TaskId, e.Reason, key.Chain.ToString());
            return PollResult<StakeSnapshot>.Failure(before with { LastError = e }, attempt.BackoffIfFailed);
        }
    }

    public bool Differs(StakeSnapshot before, StakeSnapshot after) =>
        before.Reading != after.Reading || before.LastSync != after.LastSync || before.LastError?.Reason != after.LastError?.Reason;

    public void Dispose()
    {
        foreach (var reader in _readers.Values) reader.Dispose();
    }

    private static bool SameValues(StakeReading a, StakeReading b) =>
        a.Amount == b.Amount && a.Minimum == b.Minimum && a.OtherRoleStaked == b.OtherRoleStaked && a.TaskCompleted == b.TaskCompleted;

    [LoggerMessage(Level = LogLevel.Warning, Message = "reading the stake on task {TaskId} failed ({Reason}) on {Chain}")]
    private partial void LogReadFailed(long taskId, StakingReadError reason, string chain);
}
