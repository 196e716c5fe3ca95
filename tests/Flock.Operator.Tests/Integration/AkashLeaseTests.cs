using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using Flock.Sandbox.AkashProvider;
using k8s;
using k8s.Models;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The chain side of a worker's lease on the chain simulator: the operator picks the cheapest qualifying bid
/// after the bid window, waits out prices above its cap, restarts a group a provider gave up, keeps the escrow
/// topped up within the cap over simulated days, mints ACT when allowed, and replaces a deployment whose
/// escrow ran dry. Providers are the sandbox's simulated ones (bids, HTTPS API with JWT auth, manifests, lease status).
/// </summary>
public sealed class AkashLeaseTests : IClassFixture<AkashSandbox>
{
    private readonly AkashSandbox _sandbox;

    public AkashLeaseTests(AkashSandbox sandbox) => _sandbox = sandbox;

    private string[] OperatorArgs => [.. _sandbox.OperatorArgs, "--Akash:BidWindowBlocks=3", "--Akash:MintSettleBlocks=3"];

    private async Task<(string Ns, string Owner)> SetUpAsync(ulong uact = 50_000_000, ulong uakt = 50_000_000)
    {
        var a = await AkashTestAccount.CreateAsync(_sandbox, _sandbox.Chain, "lease", "hf_lease_token_51c0", uact, uakt);
        return (a.Ns, a.Owner);
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name, Func<AkashPlacement, AkashPlacement>? adjust = null)
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
            Resources = node.Spec.Resources with { Gpu = node.Spec.Resources.Gpu with { Models = ["a100", "h100"] } },
            Placement = new PlacementSpec { Mode = PlacementMode.Akash, Akash = adjust is null ? akash : adjust(akash) },
        };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private static Condition? Condition(FlockTrainingNode node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(_sandbox.Chain.GrpcUrl), _sandbox.Chain.ChainId));

    private async Task<ulong> DeployedAsync(string ns, string name)
    {
        await Eventually.TrueAsync(async () => (await GetAsync(ns, name)).Status?.Akash?.LeaseState == "awaiting-bids", "deployment open");
        return (ulong)(await GetAsync(ns, name)).Status!.Akash!.Dseq!.Value;
    }

    private Task<ProviderFleet> FleetAsync(params SimulatedProviderOptions[] providers) => ProviderFleet.StartAsync(_sandbox.Chain, providers);

    private static SimulatedProviderOptions At(string name, decimal price) => new() { Name = name, Pricing = BidPricing.Fixed(price) };

    [Fact]
    public async Task The_cheapest_qualifying_bid_wins_the_lease_the_manifest_reaches_the_provider_and_status_shows_provider_and_price()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("denied", 100), At("cheapest", 400.5m), At("dearer", 700));
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs);
        // A window of 30 blocks (3 s here) so that all three bids are in before the operator chooses.
        await CreateAsync(ns, "l1", a => a with { Providers = new ProviderRules { Deny = [fleet["denied"].Address] }, BidWindow = 30 });

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l1")).Status?.Phase == Phase.Running, "running on a provider");
        var node = await GetAsync(ns, "l1");
        var akash = node.Status!.Akash!;
        var dseq = (ulong)akash.Dseq!.Value;
        using var chain = Chain();
        var lease = Assert.Single(await chain.ListLeasesAsync(owner, dseq));
        var bids = await chain.ListBidsAsync(owner, dseq);

        Assert.Equal(3, bids.Count);
        Assert.Equal(fleet["cheapest"].Address, lease.Lease.Id.Provider);
        Assert.Equal(LeaseState.Active, lease.Lease.State);
        // (The fleet also serves the other tests' resources, which this operator reconciles too: count only what is ours.)
        Assert.True(fleet["cheapest"].Counters.ManifestsAccepted >= 1);
        Assert.Equal(fleet["cheapest"].Address, akash.Provider);
        Assert.Equal("400.5uact", akash.Price);
        var perHour = Flock.Operator.Backends.Akash.EscrowLedger.Parse(akash.PricePerHour)!.Value;
        Assert.Equal("uact", perHour.Denom);
        Assert.InRange(perHour.Amount, 233_527.69m, 233_527.70m); // 400.5 uact per block at 6.174 s per block
        Assert.Equal("active", akash.LeaseState);
        Assert.NotNull(akash.Runway);
        Assert.NotEmpty(akash.Uris!);
        Assert.Equal(ConditionStatus.True, Condition(node, "LeaseActive")!.Status);
    }

    [Fact]
    public async Task No_bid_within_price_is_explained_then_a_cheaper_provider_gets_the_lease()
    {
        // The chain refuses bids above the order's price and providers bid only on orders they can serve, so on chain the
        // operator's own rules pass bids over by provider: here two denied ones.
        var (ns, _) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("denied", 250), At("also-denied", 300));
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs);
        await CreateAsync(ns, "l2", a => a with { Providers = new ProviderRules { Deny = [fleet["denied"].Address, fleet["also-denied"].Address] } });

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "l2"), "LeaseActive")?.Reason == "NoBidWithinPrice", "NoBidWithinPrice");
        var message = Condition(await GetAsync(ns, "l2"), "LeaseActive")!.Message;
        Assert.Contains("none of 2 bids qualifies", message);
        Assert.Contains("2 from denied providers", message);
        Assert.Contains("best price seen is 250uact/block against a maximum of 1000uact", message);

        var cheap = await fleet.AddAsync(At("newcomer", 900));
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l2")).Status?.Phase == Phase.Running, "running on the new provider");
        Assert.Equal(cheap.Address, (await GetAsync(ns, "l2")).Status!.Akash!.Provider);
    }

    [Fact]
    public async Task A_provider_that_closes_the_lease_is_avoided_and_the_group_is_leased_again()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("first", 300));
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs);
        await CreateAsync(ns, "l3");
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l3")).Status?.Phase == Phase.Running, "running on the first provider");
        var dseq = (ulong)(await GetAsync(ns, "l3")).Status!.Akash!.Dseq!.Value;
        var second = await fleet.AddAsync(At("second", 500));

        await fleet["first"].CloseLeaseAsync(new Flock.Akash.Protos.MarketV1.LeaseID { Owner = owner, Dseq = dseq, Gseq = 1, Oseq = 1, Provider = fleet["first"].Address, Bseq = 0 });

        // The restarted group has a new order (oseq 2); the first provider bids lower again but is passed over.
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l3")).Status is { Phase: Phase.Running, Akash.Oseq: 2 }, "running again on a new order");
        var akash = (await GetAsync(ns, "l3")).Status!.Akash!;
        Assert.Equal(second.Address, akash.Provider);
        Assert.Contains(akash.AvoidProviders!, a => a.Provider == fleet["first"].Address);
        using var chain = Chain();
        var leases = await chain.ListLeasesAsync(owner, dseq);
        Assert.Single(leases, l => l.Lease.State == LeaseState.Active);
        Assert.Equal(2, leases.Count);
        Assert.True(second.Counters.ManifestsAccepted >= 1);
    }

    [Fact]
    public async Task An_unreachable_provider_is_replaced_after_the_grace_period_without_a_second_active_lease()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("flaky", 300));
        await using var op = await OperatorHarness.StartAsync(_sandbox, [.. OperatorArgs, "--Akash:ProviderGraceSeconds=2"]);
        await CreateAsync(ns, "l7");
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l7")).Status?.Phase == Phase.Running, "running on the flaky provider");
        var dseq = (ulong)(await GetAsync(ns, "l7")).Status!.Akash!.Dseq!.Value;
        var steady = await fleet.AddAsync(At("steady", 600));

        await fleet["flaky"].SetDownAsync(true);

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "l7"), "LeaseActive")?.Reason == "ProviderUnreachable", "provider reported unreachable");
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l7")).Status is { Phase: Phase.Running } s && s.Akash!.Provider == steady.Address, "re-leased on the steady provider");
        using var chain = Chain();
        var leases = await chain.ListLeasesAsync(owner, dseq);
        Assert.Single(leases, l => l.Lease.State == LeaseState.Active);
        Assert.Contains(leases, l => l.Lease.Id.Provider == fleet["flaky"].Address && l.Lease.State == LeaseState.Closed);
        Assert.True(_sandbox.Chain.BalanceSheet(owner).Balances);
    }

    [Fact]
    public async Task A_refused_manifest_moves_the_worker_to_another_provider()
    {
        var (ns, _) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("refuses", 200));
        fleet["refuses"].Faults.RejectManifests = true;
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs);
        await CreateAsync(ns, "l8");
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l8")).Status?.Akash?.AvoidProviders?.Any(a => a.Provider == fleet["refuses"].Address) == true,
            "the refusing provider is avoided");
        var accepting = await fleet.AddAsync(At("accepts", 800));

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l8")).Status is { Phase: Phase.Running } s && s.Akash!.Provider == accepting.Address, "running on the accepting provider");
        Assert.True(fleet["refuses"].Counters.ManifestRequests >= 1);
    }

    [Fact]
    public async Task Escrow_top_ups_keep_the_runway_above_the_threshold_over_simulated_days_within_the_cap()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("steady", 100));
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs);
        // 100 uact a block; a 1 ACT deposit lasts 10,000 blocks (about 17 hours); top up below 5,000 blocks.
        await CreateAsync(ns, "l4", a => a with
        {
            Deposit = new AkashCoin { Amount = "1000000" },
            Escrow = new EscrowPolicy { TopUpBelow = 5_000, MaxSpend = new AkashCoin { Amount = "8000000" } },
        });
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l4")).Status?.Phase == Phase.Running, "running");
        var dseq = (ulong)(await GetAsync(ns, "l4")).Status!.Akash!.Dseq!.Value;

        // Three days of blocks (14,000 a day at 6.174 s), in steps the operator looks at between.
        using var chain = Chain();
        for (var day = 0; day < 42; day++)
        {
            await _sandbox.Chain.MineAsync(1_000);
            var height = _sandbox.Chain.Height;
            await Eventually.TrueAsync(async () =>
            {
                var escrow = await chain.GetDeploymentEscrowAsync(owner, dseq);
                var runway = Flock.Operator.Backends.Akash.AkashChainViews.Snapshot(escrow)!.Funds / 100m;
                return runway >= 5_000;
            }, $"runway topped up above 5,000 blocks at height {height}", TimeSpan.FromSeconds(30));
            Assert.Single(await chain.ListLeasesAsync(owner, dseq, "active"));
        }

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l4")).Status?.Akash?.Runway >= 5_000, "status shows the topped-up runway");
        var sheet = _sandbox.Chain.BalanceSheet(owner);
        Assert.True(sheet.Balances, sheet.ToString());
        var deposited = Flock.Sandbox.AkashChain.BalanceSheet.Units(sheet.Deposited);
        Assert.True(deposited <= 8_000_000, $"deposited {deposited} within maxSpend");
        Assert.True(deposited > 4_200_000, $"deposited {deposited} covers three days at 100 uact a block");
    }

    [Fact]
    public async Task An_account_with_only_akt_mints_act_when_allowed()
    {
        var (ns, owner) = await SetUpAsync(uact: 0, uakt: 30_000_000);
        await using var op = await OperatorHarness.StartAsync(_sandbox, OperatorArgs);
        await CreateAsync(ns, "l5", a => a with { Funding = new FundingPolicy { MintAct = true } });

        await DeployedAsync(ns, "l5");
        using var chain = Chain();
        var deployment = Assert.Single(await chain.ListDeploymentsAsync(owner));
        Assert.Equal(Flock.Akash.Protos.DeploymentV1.Deployment.Types.State.Active, deployment.Deployment.State);
        Assert.NotNull((await GetAsync(ns, "l5")).Status!.Akash!.LastMintHeight);
        Assert.True(_sandbox.Chain.Balance(owner, "uakt") < 30_000_000 - 5_000_000);
    }

    [Fact]
    public async Task A_deployment_whose_escrow_ran_dry_is_replaced_and_its_cost_kept()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync(At("steady", 1000));
        // Default top-ups off, so the escrow runs dry as it does when the account cannot pay or the cap is reached.
        await using var op = await OperatorHarness.StartAsync(_sandbox, [.. OperatorArgs, "--Akash:TopUpBelowHours=0"]);
        await CreateAsync(ns, "l6", a => a with { Deposit = new AkashCoin { Amount = "600000" } });
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l6")).Status?.Phase == Phase.Running, "running");
        var dseq = (ulong)(await GetAsync(ns, "l6")).Status!.Akash!.Dseq!.Value;

        await _sandbox.Chain.MineAsync(700); // 600 blocks of funds at 1000 uact: the escrow runs dry, the chain closes the deployment

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "l6")).Status?.Akash is { Dseq: { } d, SpentBefore: not null, LeaseState: "awaiting-bids" } && (ulong)d != dseq,
            "a new deployment replaces the closed one");
        var status = (await GetAsync(ns, "l6")).Status!.Akash!;
        Assert.Equal("600000uact", status.SpentBefore);
        using var chain = Chain();
        Assert.Equal(2, (await chain.ListDeploymentsAsync(owner)).Count);
        Assert.True(_sandbox.Chain.BalanceSheet(owner).Balances);
    }
}
