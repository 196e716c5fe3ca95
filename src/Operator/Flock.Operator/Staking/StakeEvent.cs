using System.Numerics;

namespace Flock.Operator.Staking;

/// <summary>The FlockTaskManagerV2 events that change what a <see cref="StakeReading"/> would show.</summary>
public enum StakeEventKind
{
    /// <summary>NodeStakeDeposited: <see cref="StakeEvent.Amount"/> is the new cumulative node stake.</summary>
    NodeStakeDeposited,

    /// <summary>ValidatorStakeDeposited: <see cref="StakeEvent.Amount"/> is the new cumulative validator stake.</summary>
    ValidatorStakeDeposited,

    /// <summary>NodeStakeWithdrawn: <see cref="StakeEvent.Amount"/> is the amount withdrawn (the stake is now 0).</summary>
    NodeStakeWithdrawn,

    /// <summary>ValidatorStakeWithdrawn: <see cref="StakeEvent.Amount"/> is the amount withdrawn (the stake is now 0).</summary>
    ValidatorStakeWithdrawn,

    /// <summary>TaskFinished: the task is completed; concerns every wallet on it (<see cref="StakeEvent.Address"/> is null).</summary>
    TaskFinished,
}

/// <summary>One decoded staking event of the task manager.</summary>
/// <param name="Kind">Which event.</param>
/// <param name="TaskId">On-chain task id.</param>
/// <param name="Address">The staking wallet (checksummed); null for <see cref="StakeEventKind.TaskFinished"/>.</param>
/// <param name="Amount">Cumulative stake (deposits), amount withdrawn (withdrawals), 0 for TaskFinished.</param>
/// <param name="Block">Block number of the log.</param>
/// <param name="TransactionHash">Transaction that emitted the log.</param>
/// <param name="LogIndex">Position of the log in its block.</param>
public sealed record StakeEvent(StakeEventKind Kind, long TaskId, string? Address, BigInteger Amount, long Block, string TransactionHash, long LogIndex)
{
    /// <summary>The role the event concerns; null for TaskFinished.</summary>
    public StakeRole? Role => Kind switch
    {
        StakeEventKind.NodeStakeDeposited or StakeEventKind.NodeStakeWithdrawn => StakeRole.Node,
        StakeEventKind.ValidatorStakeDeposited or StakeEventKind.ValidatorStakeWithdrawn => StakeRole.Validator,
        _ => null,
    };
}
