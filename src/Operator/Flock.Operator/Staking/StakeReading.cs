using System.Numerics;

namespace Flock.Operator.Staking;

/// <summary>The role a wallet stakes for on a task. A wallet may hold only one role per task.</summary>
public enum StakeRole
{
    /// <summary>Training node: stakeTokensForTrainingNodes, minimum minNodeStakes().</summary>
    Node,

    /// <summary>Validator: stakeTokensForValidators, minimum validatorMinStake().</summary>
    Validator,
}

/// <summary>
/// What the chain says about one wallet's stake on one task, read at <see cref="Block"/>.
/// Amounts are exact wei of gmFLOCK (18 decimals); use <see cref="GmFlockAmount"/> to show them.
/// </summary>
/// <param name="TaskId">On-chain task id.</param>
/// <param name="Address">The wallet (checksummed).</param>
/// <param name="Amount">The wallet's stake in <paramref name="Role"/> on the task.</param>
/// <param name="Minimum">The contract's current minimum for <paramref name="Role"/>.</param>
/// <param name="Role">The role that was read.</param>
/// <param name="OtherRoleStaked">The wallet holds a stake in the other role on this task (the contract then refuses this role).</param>
/// <param name="TaskCompleted">isTaskCompleted(taskId): stakes may now be withdrawn.</param>
/// <param name="Block">The block the values were read at (latest − confirmations).</param>
public sealed record StakeReading(
    long TaskId, string Address, BigInteger Amount, BigInteger Minimum, StakeRole Role, bool OtherRoleStaked, bool TaskCompleted, long Block)
{
    /// <summary>
    /// The stake counts: the contract accepts a stake only when the wallet's total reaches the minimum in force at that
    /// moment (FlockTaskManagerV2Upgradeable stakeTokensForTrainingNodes / stakeTokensForValidators revert "Stake amount
    /// is less than minimum stake amount"), and stakes are withdrawn only after the task completes. So a positive total
    /// met the minimum when it was made; a minimum raised later does not undo it.
    /// </summary>
    public bool MeetsMinimum => Amount > BigInteger.Zero;

    /// <summary>A counting stake below today's minimum: the minimum was raised after the stake was made.</summary>
    public bool BelowCurrentMinimum => Amount > BigInteger.Zero && Amount < Minimum;

    /// <summary>How much is missing to reach the minimum (0 when it is met).</summary>
    public BigInteger Shortfall => Amount >= Minimum ? BigInteger.Zero : Minimum - Amount;
}
