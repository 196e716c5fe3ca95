using System.Text.Json.Nodes;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>The Akash deployment of a worker on the chain simulator: created once, found again after a restart, closed on delete.</summary>
public sealed class AkashDeploymentTests : IClassFixture<AkashSandbox>
{
    private readonly AkashSandbox _sandbox;

    public AkashDeploymentTests(AkashSandbox sandbox) => _sandbox = sandbox;

    private async Task<(string Ns, string Owner, string Mnemonic)> SetUpAsync(bool fund = true)
    {
        var a = await AkashTestAccount.CreateAsync(_sandbox, _sandbox.Chain, "akash", "hf_akash_token_9f3e71", fund ? 50_000_000UL : 0, fund ? 50_000_000UL : 0);
        return (a.Ns, a.Owner, a.Mnemonic);
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        node.Spec = node.Spec with
        {
            Placement = AkashTestAccount.Placement(),
        };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(_sandbox.Chain.GrpcUrl), _sandbox.Chain.ChainId));

    private static Condition? Condition(FlockTrainingNode node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task A_worker_on_akash_gets_one_funded_deployment_and_waits_for_bids()
    {
        var (ns, owner, mnemonic) = await SetUpAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs);
        await CreateAsync(ns, "a1");

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "a1"), "LeaseActive")?.Reason == "AwaitingBids", "deployment open, awaiting bids");
        var node = await GetAsync(ns, "a1");
        using var chain = Chain();
        var deployments = await chain.ListDeploymentsAsync(owner);

        var deployment = Assert.Single(deployments);
        Assert.Equal((ulong)node.Status!.Akash!.Dseq!.Value, deployment.Deployment.Id.Dseq);
        Assert.Equal(owner, node.Status.Akash.Owner);
        Assert.Equal(Backend.Akash, node.Status.Workload!.Backend);
        Assert.Equal(Phase.Provisioning, node.Status.Phase);
        Assert.StartsWith("5000000", node.Status.Akash.EscrowBalance);
        Assert.Equal("awaiting-bids", node.Status.Akash.LeaseState);
        Assert.Single(await chain.ListOrdersAsync(owner, deployment.Deployment.Id.Dseq));
        var everything = string.Join("\n", op.Logs.Lines) + KubernetesJson.Serialize(node);
        // Single BIP39 words are ordinary English ("problem"); any three consecutive words of the mnemonic are not.
        var words = mnemonic.Split(' ');
        for (var i = 0; i + 3 <= words.Length; i++) Assert.DoesNotContain(string.Join(' ', words[i..(i + 3)]), everything);
        Assert.DoesNotContain("hf_akash_token_9f3e71", everything);
    }

    [Fact]
    public async Task Deleting_the_worker_closes_its_deployment_and_the_escrow_comes_back()
    {
        var (ns, owner, _) = await SetUpAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs);
        await CreateAsync(ns, "a2");
        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "a2"), "LeaseActive")?.Reason == "AwaitingBids", "deployment open");
        var before = _sandbox.Chain.Balance(owner, "uact");

        await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, ns, "a2", CancellationToken.None);
        await Eventually.TrueAsync(async () =>
            await _sandbox.Rest().TryGetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "a2", CancellationToken.None) is null, "resource gone");
        using var chain = Chain();
        var deployment = Assert.Single(await chain.ListDeploymentsAsync(owner));
        var sheet = _sandbox.Chain.BalanceSheet(owner);

        Assert.Equal(Flock.Akash.Protos.DeploymentV1.Deployment.Types.State.Closed, deployment.Deployment.State);
        Assert.True(sheet.Balances, sheet.ToString());
        Assert.Equal(0, sheet.HeldInEscrow);
        Assert.Equal(before + 5_000_000, _sandbox.Chain.Balance(owner, "uact"));
        var events = await _sandbox.Client().CoreV1.ListNamespacedEventAsync(ns);
        Assert.Contains(events.Items, e => e.Reason == "DeploymentClosed");
    }

    [Fact]
    public async Task A_restarted_operator_finds_the_deployment_instead_of_creating_another()
    {
        var (ns, owner, _) = await SetUpAsync();
        await using (var first = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs))
        {
            await CreateAsync(ns, "a3");
            // Stop as soon as the dseq is in status: the broadcast may or may not have happened yet.
            await Eventually.TrueAsync(async () => (await GetAsync(ns, "a3")).Status?.Akash?.Dseq is not null, "dseq chosen");
        }

        var dseq = (await GetAsync(ns, "a3")).Status!.Akash!.Dseq!.Value;
        await using (var second = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs))
        {
            await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "a3"), "LeaseActive")?.Reason == "AwaitingBids", "deployment open");
            await Task.Delay(TimeSpan.FromSeconds(2)); // a few more reconciles at the 1 s poll
        }

        using var chain = Chain();
        var deployment = Assert.Single(await chain.ListDeploymentsAsync(owner));
        Assert.Equal((ulong)dseq, deployment.Deployment.Id.Dseq);
    }

    [Fact]
    public async Task Resources_sharing_an_account_and_a_block_get_a_deployment_each()
    {
        var (ns, owner, _) = await SetUpAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => CreateAsync(ns, $"s{i}")));

        await Eventually.TrueAsync(async () =>
        {
            foreach (var i in Enumerable.Range(0, 4))
            {
                if (Condition(await GetAsync(ns, $"s{i}"), "LeaseActive")?.Reason != "AwaitingBids") return false;
            }

            return true;
        }, "four deployments open");
        var dseqs = new List<long>();
        foreach (var i in Enumerable.Range(0, 4)) dseqs.Add((await GetAsync(ns, $"s{i}")).Status!.Akash!.Dseq!.Value);
        using var chain = Chain();

        Assert.Equal(4, dseqs.Distinct().Count());
        Assert.Equal(dseqs.Order().Select(d => (ulong)d), (await chain.ListDeploymentsAsync(owner)).Select(d => d.Deployment.Id.Dseq).Order());
    }

    [Fact]
    public async Task An_unfunded_account_is_reported_with_what_to_do()
    {
        var (ns, owner, _) = await SetUpAsync(fund: false);
        await using var op = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs);
        await CreateAsync(ns, "a4");

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "a4"), "Stalled")?.Reason == "InsufficientFunds", "InsufficientFunds");

        Assert.Contains(owner, Condition(await GetAsync(ns, "a4"), "Ready")!.Message);
        await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "a4",
            new JsonObject { ["spec"] = new JsonObject { ["suspend"] = true } }, CancellationToken.None);
    }

    [Fact]
    public async Task Akash_placement_without_an_akash_node_configured_is_a_clear_condition()
    {
        var (ns, _, _) = await SetUpAsync(fund: false);
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "a5");

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "a5"), "Stalled")?.Reason == "AkashNotConfigured", "AkashNotConfigured");
    }
}
