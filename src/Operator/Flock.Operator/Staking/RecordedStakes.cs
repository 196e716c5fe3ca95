using System.Globalization;
using System.Numerics;
using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Staking;

/// <summary>
/// The stakes a resource's status recorded, standing in for readings this process has not made because the chain
/// does not answer. Without them an operator restarted during an RPC outage would hold (stop) every worker behind a
/// Required gate although each was eligible the moment before; with them it behaves as the process that read them
/// would: the stake counts as last read, and the condition says the chain is unreachable.
/// </summary>
public static class RecordedStakes
{
    /// <summary>
    /// Each snapshot that has no reading because the RPC did not answer gets the one status recorded for the same wallet and
    /// task, if that one was eligible (one that was not eligible holds the worker anyway; the honest "cannot be read"
    /// is then the better message). Snapshots with a reading, or still waiting for the first read, are kept.
    /// </summary>
    public static IReadOnlyList<StakeSnapshot> Fill(IReadOnlyList<StakeSnapshot> snapshots, StakingStatus? recorded)
    {
        if (recorded is not { Block: { } block, Address: { } address, Tasks: { } tasks }) return snapshots;
        return snapshots.Select(s =>
        {
            // Only an unreachable node: a wrong chain or contract (a settings change) makes the recorded stake meaningless.
            if (s.Reading is not null || s.LastError is not { Reason: StakingReadError.RpcUnavailable } || !string.Equals(address, s.Key.Address, StringComparison.OrdinalIgnoreCase)) return s;
            var task = tasks.FirstOrDefault(t => t.TaskId == s.Key.TaskId && t.Eligible == true);
            if (task is null || Parse(task.Amount) is not { } amount || Parse(task.Minimum) is not { } minimum || amount < minimum || amount.IsZero) return s;
            return s with
            {
                Reading = new StakeReading(s.Key.TaskId, address, amount, minimum, s.Key.Role, OtherRoleStaked: false, TaskCompleted: false, block),
                LastSync = recorded.LastSync,
                Recorded = true,
            };
        }).ToList();
    }

    private static BigInteger? Parse(string? text) =>
        BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
