using System.Globalization;
using System.Numerics;
using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Staking;

/// <summary>What the stakes mean for the worker this pass.</summary>
public sealed record StakeVerdict(ConditionStatus Staked, string Reason, string Message, bool Hold, StakingStatus Status);

/// <summary>
/// Judges a resource's stakes against the gate: with Required the worker is held until every task has a
/// stake in the right role of at least the contract's minimum; Observe only reports. A stake that was
/// read once (by this process, or recorded in status by an earlier one) keeps counting while the chain is
/// unreachable; one never read holds a Required gate.
/// </summary>
public static class StakeJudge
{
    public static StakeVerdict NotConfigured(string address, StakeGate gate, string why) =>
        new(ConditionStatus.Unknown, "StakingNotConfigured", why, gate == StakeGate.Required, new StakingStatus { Address = address });

    public static StakeVerdict Judge(string address, StakeGate gate, IReadOnlyList<StakeSnapshot> snapshots)
    {
        var readings = snapshots.Where(s => s.Reading is not null).Select(s => s.Reading!).ToList();
        var status = new StakingStatus
        {
            Address = address,
            Amount = readings.Count == snapshots.Count && readings.Count > 0 ? Text(readings.Min(r => r.Amount)) : null,
            Eligible = readings.Count == snapshots.Count ? readings.All(Ok) : null,
            Tasks = snapshots.Select(s => new TaskStake
            {
                TaskId = s.Key.TaskId,
                Amount = s.Reading is { } r ? Text(r.Amount) : null,
                Minimum = s.Reading is { } m ? Text(m.Minimum) : null,
                Eligible = s.Reading is { } e ? Ok(e) : null,
            }).ToList(),
            Block = readings.Count > 0 ? readings.Max(r => r.Block) : null,
            LastSync = snapshots.Where(s => s.LastSync is not null).Select(s => Seconds(s.LastSync!.Value)).DefaultIfEmpty().Min() is var sync && sync != default ? sync : null,
        };

        var unread = snapshots.Where(s => s.Reading is null).ToList();
        if (unread.Count > 0)
        {
            var error = unread.FirstOrDefault(s => s.LastError is not null)?.LastError;
            var message = error is null
                ? $"reading the stake on task {unread[0].Key.TaskId} from {unread[0].Key.Chain}"
                : $"the stake on task {unread[0].Key.TaskId} cannot be read: {error.Message}";
            return new StakeVerdict(ConditionStatus.Unknown, error is null ? "StakePending" : "StakingUnavailable", message, gate == StakeGate.Required, status);
        }

        var wrongRole = readings.FirstOrDefault(r => r.OtherRoleStaked);
        var missing = readings.FirstOrDefault(r => r.Amount.IsZero && !r.OtherRoleStaked);
        var (reason, detail) = wrongRole is not null
            ? ("WrongRole", $"{address} is staked as {Other(wrongRole.Role)} on task {wrongRole.TaskId}; a wallet takes one role per task, and this resource needs {Name(wrongRole.Role)}")
            : missing is not null
                ? ("StakeMissing", $"{address} has no {Name(missing.Role)} stake on task {missing.TaskId}; stake at least {GmFlockAmount.ToDisplayString(missing.Minimum)}")
                : (null, null);
        var unreachable = snapshots.FirstOrDefault(s => s.LastError is not null);
        var stale = unreachable is null ? ""
            : unreachable.LastError!.Reason == StakingReadError.BehindLastRead ? $" (last read at block {unreachable.Reading!.Block}; {unreachable.LastError.Message})"
            : unreachable.Recorded ? $" (as recorded in status at block {unreachable.Reading!.Block}; the chain has not answered since the operator started)"
            : $" (last read at block {unreachable.Reading!.Block}; the chain is unreachable now)";
        if (reason is null)
        {
            var staked = string.Join("; ", readings.Select(r => $"task {r.TaskId}: {GmFlockAmount.ToDisplayString(r.Amount)} staked " + (r.BelowCurrentMinimum
                ? $"(the minimum is now {GmFlockAmount.ToDisplayString(r.Minimum)}, raised after this stake was made; the contract judged the stake by the minimum in force then, so it counts)"
                : $"(minimum {GmFlockAmount.ToDisplayString(r.Minimum)})")));
            return new StakeVerdict(ConditionStatus.True, "StakeFound", staked + stale, false, status);
        }

        return new StakeVerdict(ConditionStatus.False, reason, detail + stale, gate == StakeGate.Required, status);
    }

    private static bool Ok(StakeReading r) => r.MeetsMinimum && !r.OtherRoleStaked;

    private static string Text(BigInteger value) => value.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset Seconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);

    private static string Name(StakeRole role) => role == StakeRole.Node ? "training-node" : "validator";

    private static string Other(StakeRole role) => role == StakeRole.Node ? "a validator" : "a training node";
}
