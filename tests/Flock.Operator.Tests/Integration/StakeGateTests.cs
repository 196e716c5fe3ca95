using System.Numerics;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>The worker is held until the stake is on-chain, and follows the stake as it changes.</summary>
public sealed class StakeGateTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public StakeGateTests(Sandbox sandbox) => _sandbox = sandbox;

    private async Task<(string Ns, long TaskId)> SetUpAsync()
    {
        await _sandbox.InstallCrdsAsync();
        var ns = "stake-" + Guid.NewGuid().ToString("N")[..8];
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);
        var taskId = Random.Shared.NextInt64(10_000, 1_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await _sandbox.Evm.CreateTaskAsync(taskId);
        return (ns, taskId);
    }

    private async Task<FlockTrainingNode> CreateAsync(string ns, string name, long taskId, SandboxAccount account)
    {
        var node = StatusWriterTests.NewNode(ns, name, account.Address, StakeGate.Required);
        node.Spec = node.Spec with { TaskId = taskId };
        return await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private async Task<V1Deployment?> DeploymentAsync(string ns, string name) =>
        (await _sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(ns)).Items.SingleOrDefault(d => d.Metadata.Name == name + "-trainer");

    private static Condition? Staked(FlockTrainingNode node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Staked");

    [Fact]
    public async Task A_missing_stake_holds_the_worker_until_the_stake_transaction_lands()
    {
        var (ns, taskId) = await SetUpAsync();
        var account = _sandbox.Evm.Accounts[2];
        await _sandbox.Evm.MintAsync(account.Address, 10_000 * EvmSandbox.OneToken);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "g1", taskId, account);

        await Eventually.TrueAsync(async () => Staked(await GetAsync(ns, "g1"))?.Reason == "StakeMissing", "StakeMissing");
        var held = await GetAsync(ns, "g1");
        Assert.Equal(Phase.AwaitingStake, held.Status!.Phase);
        Assert.Null(await DeploymentAsync(ns, "g1"));
        Assert.Contains("3000 gmFLOCK", Staked(held)!.Message);
        Assert.Equal("0", held.Status.Staking!.Amount);
        Assert.False(held.Status.Staking.Eligible);

        var tx = await _sandbox.Evm.StakeAsNodeAsync(account, taskId, 3500 * EvmSandbox.OneToken);

        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "g1") is { Spec.Replicas: 1 }, "worker created once staked");
        await Eventually.TrueAsync(async () => Staked(await GetAsync(ns, "g1"))?.Status == ConditionStatus.True, "Staked");
        var staked = await GetAsync(ns, "g1");
        Assert.Equal((3500 * EvmSandbox.OneToken).ToString(System.Globalization.CultureInfo.InvariantCulture), staked.Status!.Staking!.Amount);
        Assert.True(staked.Status.Staking.Eligible);
        Assert.True(staked.Status.Staking.Block >= tx.Block);
        Assert.Equal(Phase.Provisioning, staked.Status.Phase);
    }

    [Fact]
    public async Task A_stake_made_at_the_old_minimum_keeps_counting_after_the_minimum_rises()
    {
        var (ns, taskId) = await SetUpAsync();
        var account = _sandbox.Evm.Accounts[3];
        await _sandbox.Evm.MintAsync(account.Address, 10_000 * EvmSandbox.OneToken);
        await _sandbox.Evm.StakeAsNodeAsync(account, taskId, 3000 * EvmSandbox.OneToken);
        await _sandbox.Evm.SetMinimumsAsync(5000 * EvmSandbox.OneToken, 3000 * EvmSandbox.OneToken);
        try
        {
            await using var op = await OperatorHarness.StartAsync(_sandbox);
            await CreateAsync(ns, "g2", taskId, account);

            // The contract accepted 3000 when the minimum was 3000; raising it to 5000 later does not undo the stake.
            await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "g2") is not null, "the worker starts");
            var node = await GetAsync(ns, "g2");
            var message = Staked(node)!.Message;

            Assert.Equal((ConditionStatus.True, "StakeFound"), (Staked(node)!.Status, Staked(node)!.Reason));
            Assert.True(node.Status!.Staking!.Eligible);
            Assert.Contains("3000 gmFLOCK", message);
            Assert.Contains("the minimum is now 5000 gmFLOCK", message);
        }
        finally
        {
            await _sandbox.Evm.SetMinimumsAsync(3000 * EvmSandbox.OneToken, 3000 * EvmSandbox.OneToken);
        }
    }

    [Fact]
    public async Task A_wallet_staked_as_validator_gets_wrong_role()
    {
        var (ns, taskId) = await SetUpAsync();
        var account = _sandbox.Evm.Accounts[4];
        await _sandbox.Evm.MintAsync(account.Address, 10_000 * EvmSandbox.OneToken);
        await _sandbox.Evm.StakeAsValidatorAsync(account, taskId, 3000 * EvmSandbox.OneToken);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "g3", taskId, account);

        await Eventually.TrueAsync(async () => Staked(await GetAsync(ns, "g3"))?.Reason == "WrongRole", "WrongRole");

        Assert.Contains("validator", Staked(await GetAsync(ns, "g3"))!.Message);
    }

    [Fact]
    public async Task A_stake_withdrawn_after_the_task_completes_stops_the_worker()
    {
        var (ns, taskId) = await SetUpAsync();
        var account = _sandbox.Evm.Accounts[5];
        await _sandbox.Evm.MintAsync(account.Address, 10_000 * EvmSandbox.OneToken);
        await _sandbox.Evm.StakeAsNodeAsync(account, taskId, 3000 * EvmSandbox.OneToken);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "g4", taskId, account);
        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "g4") is { Spec.Replicas: 1 }, "running");

        await _sandbox.Evm.FinishTaskAsync(taskId);
        await _sandbox.Evm.WithdrawAsNodeAsync(account, taskId);

        await Eventually.TrueAsync(async () => await DeploymentAsync(ns, "g4") is { Spec.Replicas: 0 }, "stopped");
        // The status write follows the scale-down in the same reconcile.
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "g4")).Status?.Phase == Phase.AwaitingStake, "AwaitingStake");
        Assert.Equal("StakeMissing", Staked(await GetAsync(ns, "g4"))!.Reason);
    }

    [Fact]
    public async Task Amounts_above_two_to_the_64_reach_status_exactly()
    {
        var (ns, taskId) = await SetUpAsync();
        var account = _sandbox.Evm.Accounts[6];
        var huge = BigInteger.Pow(10, 30) + 7;
        await _sandbox.Evm.MintAsync(account.Address, huge);
        await _sandbox.Evm.StakeAsNodeAsync(account, taskId, huge);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "g5", taskId, account);

        await Eventually.TrueAsync(async () => Staked(await GetAsync(ns, "g5"))?.Status == ConditionStatus.True, "Staked");

        Assert.Equal("1000000000000000000000000000007", (await GetAsync(ns, "g5")).Status!.Staking!.Amount);
    }

    [Fact]
    public async Task Observe_reports_a_missing_stake_without_holding_the_worker()
    {
        var (ns, taskId) = await SetUpAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        var node = StatusWriterTests.NewNode(ns, "g6", _sandbox.Evm.Accounts[7].Address, StakeGate.Observe);
        node.Spec = node.Spec with { TaskId = taskId };
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);

        await Eventually.TrueAsync(async () => Staked(await GetAsync(ns, "g6"))?.Reason == "StakeMissing", "StakeMissing reported");

        Assert.NotNull(await DeploymentAsync(ns, "g6"));
        Assert.NotEqual(Phase.AwaitingStake, (await GetAsync(ns, "g6")).Status!.Phase);
    }
}
