using System.Numerics;
using Flock.Akash.Client;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Workers;
using Flock.Sandbox.AkashProvider;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// Console-like escrow top-ups on the chain simulator for a resource that sets no escrow rule: under the operator's
/// threshold the runway is refilled to its target, again each time it falls under it, and never past maxSpend.
/// The hours are shrunk through the operator's options: 6 s blocks, top up under 10 h (6,000 blocks), refill to
/// 20 h (12,000 blocks); at 1000 uact a block the 5 ACT deposit lasts 5,000 blocks, so the lease starts under it.
/// </summary>
public sealed class AkashEscrowDefaultsTests(AkashSandbox sandbox) : IClassFixture<AkashSandbox>
{
    private const decimal Price = 1000;

    private string[] OperatorArgs =>
    [
        .. sandbox.OperatorArgs, "--Akash:BidWindowBlocks=3",
        "--Akash:BlockSeconds=6", "--Akash:TopUpBelowHours=10", "--Akash:RefillToHours=20",
    ];

    private async Task<(string Ns, string Owner)> SetUpAsync(ulong uact = 50_000_000)
    {
        var a = await AkashTestAccount.CreateAsync(sandbox, sandbox.Chain, "escrow", "hf_escrow_token_7d2e", uact);
        return (a.Ns, a.Owner);
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name, EscrowPolicy? escrow)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        node.Spec = node.Spec with
        {
            Resources = node.Spec.Resources with { Gpu = node.Spec.Resources.Gpu with { Models = ["a100", "h100"] } },
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                    Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                    Escrow = escrow,
                },
            },
        };
        return sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(sandbox.Chain.GrpcUrl), sandbox.Chain.ChainId));

    private async Task<EscrowSnapshot> EscrowAsync(AkashChainClient chain, string owner, ulong dseq) =>
        AkashChainViews.Snapshot(await chain.GetDeploymentEscrowAsync(owner, dseq))!;

    private async Task<ulong> RunningAsync(string ns, string name)
    {
        await Eventually.TrueAsync(async () => (await GetAsync(ns, name)).Status?.Phase == Phase.Running, "running");
        return (ulong)(await GetAsync(ns, name)).Status!.Akash!.Dseq!.Value;
    }

    private Task<ProviderFleet> FleetAsync() =>
        ProviderFleet.StartAsync(sandbox.Chain, [new SimulatedProviderOptions { Name = "steady", Pricing = BidPricing.Fixed(Price) }]);

    [Fact]
    public async Task A_lease_under_the_default_threshold_is_refilled_to_the_target_runway_and_again_when_it_falls_under_it()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync();
        await using var op = await OperatorHarness.StartAsync(sandbox, OperatorArgs);
        await CreateAsync(ns, "e1", escrow: null);
        var dseq = await RunningAsync(ns, "e1");
        using var chain = Chain();

        // The runway now, as the chain will settle it: the refill brings it from under 5,000 blocks to the target, less
        // the blocks since (the simulator mines about ten a second), and never past the target.
        async Task<long> RunwayAsync() => EscrowLedger.Position(await EscrowAsync(chain, owner, dseq), Price, sandbox.Chain.Height).Runway ?? 0;
        await Eventually.TrueAsync(async () => await RunwayAsync() is > 11_000 and <= 12_000, "refilled to 12,000 blocks");
        var deposited = Flock.Sandbox.AkashChain.BalanceSheet.Units(sandbox.Chain.BalanceSheet(owner).Deposited);

        await sandbox.Chain.MineAsync(6_500); // runway under 6,000 blocks again
        await Eventually.TrueAsync(async () => await RunwayAsync() is > 11_000 and <= 12_000, "refilled again after it fell under the threshold");
        Assert.True(Flock.Sandbox.AkashChain.BalanceSheet.Units(sandbox.Chain.BalanceSheet(owner).Deposited) > deposited, "a second deposit");

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "e1")).Status?.Akash?.Runway > 6_000, "status shows the refilled runway");
        Assert.Null((await GetAsync(ns, "e1")).Status!.Akash!.TopUpCapped);
        Assert.True(sandbox.Chain.BalanceSheet(owner).Balances);
    }

    [Fact]
    public async Task A_default_top_up_deposits_only_what_fits_under_max_spend_and_says_so()
    {
        var (ns, owner) = await SetUpAsync();
        await using var fleet = await FleetAsync();
        await using var op = await OperatorHarness.StartAsync(sandbox, OperatorArgs);
        // The cap leaves room for 0.5 ACT above the 5 ACT deposit: the runway stays under the threshold after it.
        await CreateAsync(ns, "e2", new EscrowPolicy { MaxSpend = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5500000" } });
        var dseq = await RunningAsync(ns, "e2");
        using var chain = Chain();

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "e2")).Status?.Akash?.TopUpCapped?.StartsWith("SpendingCapReached:", StringComparison.Ordinal) == true,
            "the cap is reported");
        // Held plus paid out is everything deposited into the account.
        await Eventually.TrueAsync(async () => (await EscrowAsync(chain, owner, dseq)) is { } e && e.Funds + e.Transferred == 5_500_000, "what fits is deposited");
        await sandbox.Chain.MineAsync(100);
        await Task.Delay(TimeSpan.FromSeconds(3)); // passes that see the cap must deposit nothing more

        var sheet = sandbox.Chain.BalanceSheet(owner);
        Assert.Equal(new BigInteger(5_500_000), Flock.Sandbox.AkashChain.BalanceSheet.Units(sheet.Deposited));
        Assert.True(sheet.Balances, sheet.ToString());
        var node = await GetAsync(ns, "e2");
        Assert.Equal(Phase.Running, node.Status!.Phase);
        var lease = node.Status.Conditions!.First(c => c.Type == "LeaseActive");
        Assert.Equal(ConditionStatus.True, lease.Status);
        Assert.Contains("SpendingCapReached:", lease.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_short_account_deposits_what_it_holds_and_the_worker_keeps_running()
    {
        // 1 ACT left after the 5 ACT deposit, against a refill of about 7 ACT.
        var (ns, owner) = await SetUpAsync(uact: 6_000_000);
        await using var fleet = await FleetAsync();
        await using var op = await OperatorHarness.StartAsync(sandbox, OperatorArgs);
        await CreateAsync(ns, "e3", escrow: null);
        var dseq = await RunningAsync(ns, "e3");
        using var chain = Chain();

        await Eventually.TrueAsync(async () => (await EscrowAsync(chain, owner, dseq)) is { } e && e.Funds + e.Transferred == 6_000_000, "the account's last ACT is deposited");
        await sandbox.Chain.MineAsync(100);
        await Task.Delay(TimeSpan.FromSeconds(3)); // passes with nothing left to deposit must not fail

        Assert.Equal(BigInteger.Zero, sandbox.Chain.Balance(owner, "uact"));
        var node = await GetAsync(ns, "e3");
        Assert.Equal(Phase.Running, node.Status!.Phase);
        Assert.Equal(ConditionStatus.True, node.Status.Conditions!.First(c => c.Type == "Ready").Status);
    }
}
