using Flock.Crds.V1Alpha1;
using Flock.Operator.Tests.Integration;
using Flock.Sandbox.Evm;
using k8s;
using Xunit.Abstractions;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Issue 11 item 2, the FLock API and EVM families: an unreachable or rate-limiting FLock API and an EVM RPC that is
/// down or served by a node lagging behind. While each lasts the condition names it, and nothing that runs is stopped
/// for it, not even by an operator restarted during the outage; once it passes, everything converges.
/// </summary>
public sealed class ExternalServiceFaultTests(ResilienceSandbox sandbox, ITestOutputHelper output) : IClassFixture<ResilienceSandbox>
{
    [Fact]
    public async Task The_flock_api_down_or_rate_limiting_shows_in_TaskOpen_and_workers_converge_once_it_is_back()
    {
        await using var scene = await FaultScene.StartAsync(sandbox, "flockapi");
        var faults = sandbox.FlockApi.Faults;
        try
        {
            // Down before the operator ever read the task: the worker starts anyway (the API's state is not a gate),
            // and TaskOpen says why it is Unknown.
            faults.FailAll(503);
            var fresh = scene.TrainingNode("fresh");
            await fresh.CreateAsync();
            await Eventually.TrueAsync(() => scene.Log.Showed("fresh", "TaskOpen", "FlockApiUnavailable"), "TaskOpen=Unknown/FlockApiUnavailable while the API is down");
            Assert.All(scene.Log.Writes.Where(w => w.Has("TaskOpen", "FlockApiUnavailable")), w => Assert.Equal("Unknown", w.Conditions["TaskOpen"].Status));
            faults.Reset();
            await FaultScene.UntilAsync(fresh, v => v.IsRunning && v.Condition("TaskOpen")?.Reason == "SubmissionPhase", "Running with the task read");

            // Rate limited while running: Degraded with the reason, the worker untouched, Running again afterwards.
            var pod = (await sandbox.Client().CoreV1.ListNamespacedPodAsync(scene.Namespace)).Items.Single().Metadata.Uid;
            var mark = scene.Log.Mark();
            faults.FailAll(429);
            await Eventually.TrueAsync(() => scene.Log.Since(mark).Any(w => w.Name == "fresh" && w.Phase == nameof(Phase.Degraded) && w.Has("TaskOpen", "FlockApiRateLimited")),
                "Degraded with FlockApiRateLimited");
            faults.Reset();
            await FaultScene.RunningAsync(fresh);
            Assert.Equal(pod, (await sandbox.Client().CoreV1.ListNamespacedPodAsync(scene.Namespace)).Items.Single().Metadata.Uid);
            Assert.DoesNotContain(scene.Log.Writes, w => w.Stalled);
            output.WriteLine($"FLock API faults: {scene.Log.Describe()}");
        }
        finally
        {
            faults.Reset();
        }
    }

    [Fact]
    public async Task An_evm_rpc_that_is_down_or_lagging_never_stops_a_staked_worker_and_a_new_one_waits_for_a_reading()
    {
        await using var scene = await FaultScene.StartAsync(sandbox, "evm", "--Staking:PollSeconds=1");
        var proxy = sandbox.EvmProxy;
        var late = sandbox.Evm.Accounts[2];
        var lagging = sandbox.Evm.Accounts[3];
        await StakeAsync(late);
        var beforeStake = await sandbox.Evm.BlockNumberAsync();
        await StakeAsync(lagging);
        var steady = scene.TrainingNode("steady");
        var behind = scene.TrainingNode("behind", lagging);
        await steady.CreateAsync();
        await behind.CreateAsync();
        await FaultScene.RunningAsync(steady);
        await FaultScene.RunningAsync(behind);
        try
        {
            // Down: the running worker keeps its stake (read before) and says the chain is unreachable; a new worker
            // under the Required gate waits with StakingUnavailable.
            var mark = scene.Log.Mark();
            proxy.Down = true;
            var fresh = scene.TrainingNode("fresh", late);
            await fresh.CreateAsync();
            await Eventually.TrueAsync(() => scene.Log.Since(mark).Any(w => w.Name == "fresh" && w.Phase == nameof(Phase.AwaitingStake) && w.Has("Staked", "StakingUnavailable")),
                "the new worker AwaitingStake with StakingUnavailable");
            await Eventually.TrueAsync(() => scene.Log.Since(mark).Any(w => w.Name == "steady" && w.Has("Staked", "StakeFound") && w.Message("Staked").Contains("unreachable", StringComparison.Ordinal)),
                "the running worker's stake kept, the outage in its message");
            Assert.DoesNotContain(scene.Log.Since(mark), w => w.Name == "steady" && w.Phase != nameof(Phase.Running));

            // The operator restarts while the RPC is still down: the new process has read nothing, but status recorded
            // the stake, so the running worker is not held (it once was: every Required-gate worker stopped).
            var restart = scene.Log.Mark();
            await scene.RestartOperatorAsync();
            await Eventually.TrueAsync(() => scene.Log.Since(restart).Any(w => w.Name == "steady" && w.Has("Staked", "StakeFound") && w.Message("Staked").Contains("as recorded in status", StringComparison.Ordinal)),
                "the restarted operator keeps the recorded stake");
            Assert.DoesNotContain(scene.Log.Since(restart), w => w.Name == "steady" && w.Phase != nameof(Phase.Running));
            Assert.Equal(1, (await sandbox.Client().AppsV1.ReadNamespacedDeploymentAsync(steady.WorkloadName, scene.Namespace)).Spec.Replicas);
            Assert.Equal(Phase.AwaitingStake, (await fresh.ReadAsync())!.Status!.Phase); // never read: still held
            proxy.Reset();
            await FaultScene.RunningAsync(fresh);

            // Lagging: the node answers from a block before the stake. Its answer must not roll the stake back.
            mark = scene.Log.Mark();
            proxy.PinnedBlock = beforeStake;
            await Eventually.TrueAsync(() => scene.Log.Since(mark).Any(w => w.Name == "behind" && w.Message("Staked").Contains("behind block", StringComparison.Ordinal)),
                "the lagging answer noticed");
            Assert.DoesNotContain(scene.Log.Since(mark), w => w.Name == "behind" && (w.Phase != nameof(Phase.Running) || w.Conditions["Staked"].Status != "True"));
            Assert.Equal(1, (await sandbox.Client().AppsV1.ReadNamespacedDeploymentAsync(behind.WorkloadName, scene.Namespace)).Spec.Replicas);
            proxy.Reset();
            await FaultScene.UntilAsync(behind, v => v.IsRunning && !v.Condition("Staked")!.Message.Contains("behind", StringComparison.Ordinal), "the stake read at the head again");
            output.WriteLine($"EVM faults: {scene.Log.Describe()}");
        }
        finally
        {
            proxy.Reset();
        }
    }

    private async Task StakeAsync(SandboxAccount account)
    {
        await sandbox.Evm.MintAsync(account.Address, 10_000 * EvmSandbox.OneToken);
        await sandbox.Evm.StakeAsNodeAsync(account, 12, 3000 * EvmSandbox.OneToken);
    }
}
