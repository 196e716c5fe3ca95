using System.Collections.Concurrent;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using Flock.Sandbox.AkashChain;
using k8s;
using k8s.Models;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The operator process is SIGKILLed around its Akash transactions and started again: whatever the crash point, the
/// chain ends with exactly one deployment per resource, and deleting every resource leaves the accounts with what
/// they had less gas fees. The mnemonic never shows in anything the processes print, in status or in events.
/// </summary>
public sealed class AkashCrashTests : IClassFixture<AkashSandbox>
{
    private readonly AkashSandbox _sandbox;

    public AkashCrashTests(AkashSandbox sandbox) => _sandbox = sandbox;

    private async Task<(string Ns, string Owner, string Mnemonic)> SetUpAsync(string prefix)
    {
        var a = await AkashTestAccount.CreateAsync(_sandbox, _sandbox.Chain, prefix, "hf_crash_token_77aa");
        return (a.Ns, a.Owner, a.Mnemonic);
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        node.Spec = node.Spec with
        {
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                    Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                },
            },
        };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode?> TryGetAsync(string ns, string name) =>
        _sandbox.Rest().TryGetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(_sandbox.Chain.GrpcUrl), _sandbox.Chain.ChainId));

    [Theory]
    [InlineData(BroadcastPoint.BeforeCheckTx, TypeUrls.MsgCreateDeployment)]
    [InlineData(BroadcastPoint.AfterCheckTx, TypeUrls.MsgCreateDeployment)]
    [InlineData(BroadcastPoint.BeforeCheckTx, TypeUrls.MsgCloseDeployment)]
    [InlineData(BroadcastPoint.AfterCheckTx, TypeUrls.MsgCloseDeployment)]
    public async Task A_killed_operator_restarts_into_exactly_one_deployment_and_a_clean_close(BroadcastPoint point, string message)
    {
        var (ns, owner, mnemonic) = await SetUpAsync("crash");
        var output = new ConcurrentQueue<string>();
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        OperatorProcess? victim = null;
        _sandbox.Chain.Faults.BroadcastHook = (at, types) =>
        {
            if (at != point || !types.Contains(message) || killed.Task.IsCompleted) return Task.FromResult(true);
            victim!.Kill();
            killed.TrySetResult();
            return Task.FromResult(at != BroadcastPoint.BeforeCheckTx);
        };
        try
        {
            var uactBefore = _sandbox.Chain.Balance(owner, "uact");
            victim = OperatorProcess.Start(_sandbox, output, _sandbox.OperatorArgs);
            await CreateAsync(ns, "c1");
            if (message == TypeUrls.MsgCloseDeployment)
            {
                await Eventually.TrueAsync(async () => (await TryGetAsync(ns, "c1"))?.Status?.Akash?.LeaseState == "awaiting-bids", "deployment open");
                await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, ns, "c1", CancellationToken.None);
            }

            await killed.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(victim.HasExited);
            await using (var second = OperatorProcess.Start(_sandbox, output, _sandbox.OperatorArgs))
            {
                if (message == TypeUrls.MsgCreateDeployment)
                {
                    await Eventually.TrueAsync(async () => (await TryGetAsync(ns, "c1"))?.Status?.Akash?.LeaseState == "awaiting-bids", "deployment open after the restart");
                    using var chain = Chain();
                    var deployment = Assert.Single(await chain.ListDeploymentsAsync(owner));
                    Assert.Equal((ulong)(await TryGetAsync(ns, "c1"))!.Status!.Akash!.Dseq!.Value, deployment.Deployment.Id.Dseq);
                    await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, ns, "c1", CancellationToken.None);
                }

                await Eventually.TrueAsync(async () => await TryGetAsync(ns, "c1") is null, "resource deleted after its deployment closed");
            }

            using (var chain = Chain())
            {
                var deployment = Assert.Single(await chain.ListDeploymentsAsync(owner));
                Assert.Equal(DeploymentState.Closed, deployment.Deployment.State);
            }

            var sheet = _sandbox.Chain.BalanceSheet(owner);
            Assert.True(sheet.Balances, sheet.ToString());
            Assert.Equal(0, sheet.HeldInEscrow);
            Assert.Equal(uactBefore, _sandbox.Chain.Balance(owner, "uact"));
            await AssertNoSecretAsync(ns, output, mnemonic);
        }
        finally
        {
            _sandbox.Chain.Faults.BroadcastHook = null;
            if (victim is not null) await victim.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_hundred_create_and_delete_cycles_leave_every_account_with_its_funds_less_fees()
    {
        const int accounts = 10, cycles = 10;
        var sets = new List<(string Ns, string Owner, string Mnemonic)>();
        for (var i = 0; i < accounts; i++) sets.Add(await SetUpAsync("cycle"));
        var before = sets.ToDictionary(s => s.Owner, s => (Uact: _sandbox.Chain.Balance(s.Owner, "uact"), Uakt: _sandbox.Chain.Balance(s.Owner, "uakt")));
        var output = new ConcurrentQueue<string>();
        await using var op = OperatorProcess.Start(_sandbox, output, [.. _sandbox.OperatorArgs, "--Akash:PollSeconds=0.2"]);

        // One lane per account: the accounts cycle in parallel, each through ten resources one after another.
        await Task.WhenAll(sets.Select(async s =>
        {
            for (var c = 0; c < cycles; c++)
            {
                var name = $"n{c}";
                await CreateAsync(s.Ns, name);
                await Eventually.TrueAsync(async () => (await TryGetAsync(s.Ns, name))?.Status?.Akash?.LeaseState == "awaiting-bids", $"{s.Ns}/{name} deployed");
                await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, s.Ns, name, CancellationToken.None);
                await Eventually.TrueAsync(async () => await TryGetAsync(s.Ns, name) is null, $"{s.Ns}/{name} deleted");
            }
        }));

        using var chain = Chain();
        var totalFees = System.Numerics.BigInteger.Zero;
        foreach (var s in sets)
        {
            var deployments = await chain.ListDeploymentsAsync(s.Owner);
            Assert.Equal(cycles, deployments.Count);
            Assert.All(deployments, d => Assert.Equal(DeploymentState.Closed, d.Deployment.State));
            var sheet = _sandbox.Chain.BalanceSheet(s.Owner);
            Assert.True(sheet.Balances, sheet.ToString());
            Assert.Equal(0, sheet.HeldInEscrow);
            Assert.Equal(before[s.Owner].Uact, _sandbox.Chain.Balance(s.Owner, "uact"));
            Assert.Equal(before[s.Owner].Uakt - sheet.Fees, _sandbox.Chain.Balance(s.Owner, "uakt"));
            totalFees += sheet.Fees;
        }

        Console.WriteLine($"100-cycle balance sheet: {accounts} accounts x {cycles} deployments, deposits {accounts * cycles} x 5 ACT all refunded, 0 held, fees {totalFees} uakt ({totalFees / (accounts * cycles * 2)} per tx)");
        foreach (var s in sets) await AssertNoSecretAsync(s.Ns, output, s.Mnemonic);
    }

    /// <summary>No run of three words of the mnemonic in the processes' output, the namespace's events or the resources' status.</summary>
    private async Task AssertNoSecretAsync(string ns, IEnumerable<string> output, string mnemonic)
    {
        var events = await _sandbox.Client().CoreV1.ListNamespacedEventAsync(ns);
        var everything = string.Join("\n", output) + KubernetesJson.Serialize(events);
        var words = mnemonic.Split(' ');
        for (var i = 0; i + 3 <= words.Length; i++) Assert.DoesNotContain(string.Join(' ', words[i..(i + 3)]), everything);
        Assert.DoesNotContain("hf_crash_token_77aa", everything);
    }
}
