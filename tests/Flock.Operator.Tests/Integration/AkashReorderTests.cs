using System.Text.Json.Nodes;
using Flock.Akash.Client;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Workers;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The market as mainnet runs it: providers bid once, when an order opens, and close their bid after their bid timeout;
/// orders never expire. An order without an eligible bid is given up (deployment closed, escrow back) and ordered
/// again after a backoff; a bidder whose /status does not answer is skipped for the next eligible one.
/// </summary>
public sealed class AkashReorderTests : IClassFixture<AkashSandbox>
{
    private readonly AkashSandbox _sandbox;

    public AkashReorderTests(AkashSandbox sandbox) => _sandbox = sandbox;

    private string[] OperatorArgs(params string[] more) => [.. _sandbox.OperatorArgs, "--Akash:BidWindowBlocks=3", .. more];

    private async Task<(string Ns, string Owner)> SetUpAsync()
    {
        var a = await AkashTestAccount.CreateAsync(_sandbox, _sandbox.Chain, "reorder", "hf_reorder_token_9d2e");
        return (a.Ns, a.Owner);
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name, string[] models, Func<AkashPlacement, AkashPlacement>? adjust = null)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        var akash = new AkashPlacement
        {
            AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
            MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
            Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
        };
        node.Spec = node.Spec with
        {
            Resources = node.Spec.Resources with { Gpu = node.Spec.Resources.Gpu with { Models = models } },
            Placement = new PlacementSpec { Mode = PlacementMode.Akash, Akash = adjust is null ? akash : adjust(akash) },
        };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private static Condition? LeaseCondition(FlockTrainingNode node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "LeaseActive");

    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(_sandbox.Chain.GrpcUrl), _sandbox.Chain.ChainId));

    private static SimulatedProviderOptions At(string name, decimal price) => new() { Name = name, Pricing = BidPricing.Fixed(price) };

    /// <summary>Every closed deployment of the owner holds nothing in escrow, and every unit deposited is accounted for.</summary>
    private async Task AssertNoEscrowLockedInClosedDeploymentsAsync(string owner)
    {
        using var chain = Chain();
        var closed = (await chain.ListDeploymentsAsync(owner)).Where(d => d.Deployment.State == DeploymentState.Closed).ToList();
        Assert.NotEmpty(closed);
        foreach (var d in closed)
        {
            var escrow = AkashChainViews.Snapshot(await chain.GetDeploymentEscrowAsync(owner, d.Deployment.Id.Dseq));
            Assert.True(escrow is null || escrow.Funds < 1, $"closed deployment {d.Deployment.Id.Dseq} still holds {escrow?.Funds}");
        }

        var sheet = _sandbox.Chain.BalanceSheet(owner);
        Assert.True(sheet.Balances, sheet.ToString());
    }

    [Fact]
    public async Task Without_any_bid_the_deployment_is_closed_its_escrow_returned_and_a_changed_spec_orders_again()
    {
        var (ns, owner) = await SetUpAsync();
        // A long backoff, so the given-up state can be looked at; the spec change below cuts it short.
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs("--Akash:OrderTimeoutSeconds=2", "--Akash:ReorderBackoffSeconds=3600", "--Akash:ReorderBackoffMaxSeconds=3600"));
        await CreateAsync(ns, "r1", ["rtx4090"]);
        var first = (await Eventually.ValueAsync(async () => (await GetAsync(ns, "r1")).Status?.Akash is { Dseq: not null, LeaseState: "awaiting-bids" } a ? a : null,
            "deployment open")).Dseq!.Value;

        var waiting = await Eventually.ValueAsync(async () => await GetAsync(ns, "r1") is var n && n.Status?.Akash is { LeaseState: Reordering.Backoff, Dseq: null } ? n : null,
            "the order given up and the deployment closed");

        var akash = waiting.Status!.Akash!;
        Assert.Equal(1, akash.Reorders);
        Assert.Equal($"no provider bid on order {owner}/{first}/1/1 within 2 s", akash.ReorderReason);
        Assert.True(akash.NextOrderAt > DateTimeOffset.UtcNow.AddMinutes(30));
        var condition = LeaseCondition(waiting)!;
        Assert.Equal(("NoEligibleBid", ConditionStatus.False), (condition.Reason, condition.Status));
        Assert.Contains("1 order(s) given up in a row", condition.Message);
        Assert.Equal(Phase.Provisioning, waiting.Status.Phase);
        using (var chain = Chain())
        {
            Assert.Equal(DeploymentState.Closed, (await chain.GetDeploymentAsync(owner, (ulong)first))!.Deployment.State);
        }

        await AssertNoEscrowLockedInClosedDeploymentsAsync(owner);
        var sheet = _sandbox.Chain.BalanceSheet(owner);
        Assert.Equal(0, BalanceSheet.Units(sheet.HeldInEscrow));
        Assert.Equal(5_000_000, BalanceSheet.Units(sheet.Refunded));

        // A provider with the GPU appears and the user raises the price: a new deployment now, not after the hour.
        await using var fleet = await ProviderFleet.StartAsync(_sandbox.Chain,
            [At("rtx", 900) with { Inventory = ProviderInventory.WithGpus(new GpuInventory("rtx4090", 4, "24Gi")) }]);
        await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "r1",
            new JsonObject { ["spec"] = new JsonObject { ["placement"] = new JsonObject { ["akash"] = new JsonObject { ["maxPrice"] = new JsonObject { ["amount"] = "1500" } } } } },
            CancellationToken.None);

        var running = await Eventually.ValueAsync(async () => await GetAsync(ns, "r1") is { Status.Phase: Phase.Running } n ? n : null, "running on the new provider");
        Assert.Equal(fleet["rtx"].Address, running.Status!.Akash!.Provider);
        Assert.Null(running.Status.Akash.Reorders);
        Assert.Null(running.Status.Akash.NextOrderAt);
        using (var chain = Chain())
        {
            Assert.Single(await chain.ListDeploymentsAsync(owner), d => d.Deployment.State == DeploymentState.Active);
        }
    }

    [Fact]
    public async Task A_cheapest_bidder_whose_status_does_not_answer_is_skipped_and_named_and_the_next_one_leased()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await ProviderFleet.StartAsync(_sandbox.Chain, [At("wedged", 200), At("alive", 500)]);
        fleet["wedged"].Faults.Unresponsive = true;
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs("--Akash:ProviderStatusTimeoutSeconds=1"));
        // A window of 30 blocks (3 s here) so that both bids are in before the operator chooses.
        await CreateAsync(ns, "r2", ["a100", "h100"], a => a with { BidWindow = 30 });

        var running = await Eventually.ValueAsync(async () => await GetAsync(ns, "r2") is { Status.Phase: Phase.Running } n ? n : null, "running on the live provider");

        var akash = running.Status!.Akash!;
        Assert.Equal(fleet["alive"].Address, akash.Provider);
        var skipped = Assert.Single(akash.AvoidProviders!, a => a.Provider == fleet["wedged"].Address);
        Assert.Contains("/status did not answer within 1 s", skipped.Reason);
        Assert.Equal(0, fleet["wedged"].Counters.ManifestRequests);
        using var chain = Chain();
        var lease = Assert.Single(await chain.ListLeasesAsync(owner, (ulong)akash.Dseq!.Value));
        Assert.Equal((fleet["alive"].Address, LeaseState.Active), (lease.Lease.Id.Provider, lease.Lease.State));
        Assert.Contains(await chain.ListBidsAsync(owner, (ulong)akash.Dseq.Value), b => b.Bid.Id.Provider == fleet["wedged"].Address);
    }

    [Fact]
    public async Task Bids_that_never_qualify_are_given_up_order_after_order_and_each_provider_bids_once_per_order()
    {
        var (ns, owner) = await SetUpAsync();
        // The denied provider closes its bid after 1 s; the order stays open 4 s more, long enough for a second bid that must not come.
        await using var fleet = await ProviderFleet.StartAsync(_sandbox.Chain, [At("denied", 300) with { BidTimeout = TimeSpan.FromSeconds(1) }]);
        await using var op = await OperatorHarness.StartAsync(_sandbox,
            OperatorArgs("--Akash:OrderTimeoutSeconds=5", "--Akash:ReorderBackoffSeconds=1", "--Akash:ReorderBackoffMaxSeconds=1"));
        await CreateAsync(ns, "r3", ["a100", "h100"], a => a with { Providers = new ProviderRules { Deny = [fleet["denied"].Address] } });

        var retried = await Eventually.ValueAsync(async () => await GetAsync(ns, "r3") is { Status.Akash.Reorders: >= 2 } n ? n : null,
            "two orders given up", TimeSpan.FromSeconds(90));

        Assert.Equal("300uact", retried.Status!.Akash!.BestPriceSeen);
        Assert.StartsWith($"order {owner}/", retried.Status.Akash.ReorderReason);
        Assert.Contains("got no eligible bid within 5 s", retried.Status.Akash.ReorderReason);

        // A provider the rules allow: the next order is leased, and the streak ends.
        var allowed = await fleet.AddAsync(At("allowed", 600));
        var running = await Eventually.ValueAsync(async () => await GetAsync(ns, "r3") is { Status.Phase: Phase.Running } n ? n : null, "running on the allowed provider",
            TimeSpan.FromSeconds(90));
        Assert.Equal(allowed.Address, running.Status!.Akash!.Provider);
        Assert.Null(running.Status.Akash.Reorders);

        using var chain = Chain();
        var deployments = await chain.ListDeploymentsAsync(owner);
        Assert.True(deployments.Count >= 3, $"{deployments.Count} deployments");
        Assert.Single(deployments, d => d.Deployment.State == DeploymentState.Active);
        foreach (var d in deployments)
        {
            var bids = await chain.ListBidsAsync(owner, d.Deployment.Id.Dseq);
            Assert.All(bids.GroupBy(b => (b.Bid.Id.Provider, b.Bid.Id.Oseq)), g => Assert.Single(g));
        }

        Assert.Equal(0, fleet["denied"].Counters.BidsFailed); // never tried a second bid on an order it had bid on
        Assert.True(fleet["denied"].Counters.BidsClosed >= 2, "its bids timed out on the given-up orders");
        await AssertNoEscrowLockedInClosedDeploymentsAsync(owner);
    }
}
