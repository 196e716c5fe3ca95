using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Staking;
using Flock.Operator.Workers;

namespace Flock.Operator.Tests.Workers;

/// <summary>
/// When the operator loses its view of a running worker (the Akash node or provider silent, the EVM RPC down after a
/// restart) it reports the worker as last seen and says why, instead of stopping or "provisioning" it.
/// </summary>
public sealed class LastSeenStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);
    private const string Wallet = "0x00000000000000000000000000000000000000aa";
    private static readonly StakeKey Key = StakeKey.Of(new ChainSettings("http://rpc.invalid", 84532, "0x00000000000000000000000000000000000000bb"), 12, Wallet, StakeRole.Node);

    private static readonly StakingStatus Eligible = new()
    {
        Address = Wallet, Amount = "3000", Eligible = true, Block = 420, LastSync = Now.AddMinutes(-3),
        Tasks = [new TaskStake { TaskId = 12, Amount = "3000", Minimum = "1000", Eligible = true }],
    };

    private static StakeSnapshot Unread(StakingReadError error) => new(Key, null, null, new StakingReadException(error, "connection refused"));

    [Fact]
    public void A_stake_status_recorded_as_eligible_stands_in_while_the_rpc_is_down_and_the_worker_is_not_held()
    {
        var verdict = StakeJudge.Judge(Wallet, StakeGate.Required, RecordedStakes.Fill([Unread(StakingReadError.RpcUnavailable)], Eligible));

        Assert.False(verdict.Hold);
        Assert.Equal((ConditionStatus.True, "StakeFound"), (verdict.Staked, verdict.Reason));
        Assert.Contains("as recorded in status at block 420", verdict.Message, StringComparison.Ordinal);
        Assert.Equal((420L, Eligible.LastSync, "3000"), (verdict.Status.Block, verdict.Status.LastSync, verdict.Status.Tasks![0].Amount));
    }

    [Fact]
    public void Without_a_usable_record_the_required_gate_still_holds()
    {
        StakeVerdict Judge(StakeSnapshot snapshot, StakingStatus? recorded) => StakeJudge.Judge(Wallet, StakeGate.Required, RecordedStakes.Fill([snapshot], recorded));

        // Never recorded; recorded for another wallet; recorded as not eligible; the endpoint is another chain (a
        // settings change, not an outage); and no error yet (the first read is still on its way).
        Assert.True(Judge(Unread(StakingReadError.RpcUnavailable), null).Hold);
        Assert.True(Judge(Unread(StakingReadError.RpcUnavailable), Eligible with { Address = "0x00000000000000000000000000000000000000cc" }).Hold);
        Assert.True(Judge(Unread(StakingReadError.RpcUnavailable), Eligible with { Tasks = [new TaskStake { TaskId = 12, Amount = "10", Minimum = "1000", Eligible = false }] }).Hold);
        Assert.True(Judge(Unread(StakingReadError.ChainIdMismatch), Eligible).Hold);
        Assert.True(Judge(Unread(StakingReadError.RpcUnavailable), Eligible with { Tasks = [new TaskStake { TaskId = 13, Amount = "3000", Minimum = "1000", Eligible = true }] }).Hold);
        var pending = Judge(new StakeSnapshot(Key, null, null, null), Eligible);
        Assert.Equal(("StakePending", true), (pending.Reason, pending.Hold));
    }

    private static WorkerFacts AkashFacts(string leaseState, bool lastSeenRunning, string reason) => new()
    {
        Backend = Backend.Akash,
        Workload = new WorkloadObservation(true, false, 0, null, new WorkloadProblem(reason, "the Akash node is unreachable: connection refused", Fatal: false)),
        Akash = new AkashStatus { Dseq = 7, LeaseState = leaseState, Provider = "akash1provider" },
        LastSeenRunning = lastSeenRunning,
    };

    [Theory]
    [InlineData("AkashUnavailable")]
    [InlineData("ProviderUnreachable")]
    [InlineData("AkashInvalidAnswer")]
    public void A_running_akash_worker_the_operator_cannot_see_is_degraded_as_last_seen(string reason)
    {
        var parts = WorkerStatusBuilder.Build(AkashFacts("active", lastSeenRunning: true, reason), null, 3, Now);

        Assert.Equal(Phase.Degraded, parts.Phase);
        Assert.Equal((ConditionStatus.True, reason), Condition(parts, "Ready"));
        Assert.Equal((ConditionStatus.Unknown, reason), Condition(parts, "LeaseActive"));
        Assert.Equal((ConditionStatus.False, ConditionStatus.False), (Condition(parts, "Stalled").Status, Condition(parts, "Reconciling").Status));
        Assert.True(parts.Workload.Ready);
        Assert.Contains("when last seen", parts.Conditions.Single(c => c.Type == "Ready").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_that_never_ran_or_whose_lease_is_gone_is_provisioning()
    {
        Assert.Equal(Phase.Provisioning, WorkerStatusBuilder.Build(AkashFacts("active", lastSeenRunning: false, "AkashUnavailable"), null, 3, Now).Phase);
        Assert.Equal(Phase.Provisioning, WorkerStatusBuilder.Build(AkashFacts("awaiting-bids", lastSeenRunning: true, "ProviderUnreachable"), null, 3, Now).Phase);
        Assert.Equal(Phase.Provisioning, WorkerStatusBuilder.Build(AkashFacts("active", lastSeenRunning: true, "WorkloadStarting"), null, 3, Now).Phase);
    }

    private static (ConditionStatus Status, string Reason) Condition(WorkerStatusParts parts, string type) =>
        parts.Conditions.Single(c => c.Type == type) is var c ? (c.Status, c.Reason) : default;
}
