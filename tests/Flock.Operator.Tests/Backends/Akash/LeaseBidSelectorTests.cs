using CsCheck;
using Flock.Operator.Backends.Akash;

namespace Flock.Operator.Tests.Backends.Akash;

/// <summary>The bid the operator leases: the cheapest that meets every rule, after the window, deterministically.</summary>
public sealed class LeaseBidSelectorTests
{
    private static readonly string[] Providers = ["akash1aaa", "akash1bbb", "akash1ccc", "akash1ddd", "akash1eee"];
    private static readonly string[] Regions = ["us-west", "eu-central"];
    private static readonly string[] Models = ["h100", "a100", "rtx4090"];

    private static Gen<T> Pick<T>(params T[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static readonly Gen<BidCandidate> BidGen =
        from provider in Pick(Providers)
        from bseq in Gen.UInt[0, 2]
        from denom in Pick("uact", "uact", "uact", "uakt")
        from price in Gen.Int[1, 40]
        from created in Gen.Long[100, 110]
        from region in Pick(Regions)
        from model in Pick(Models)
        from ramGi in Pick(24, 48, 80)
        from audited in Gen.Bool
        select new BidCandidate(provider, bseq, denom, price * 250m, created,
            new Dictionary<string, string>
            {
                ["region"] = region,
                [$"capabilities/gpu/vendor/nvidia/model/{model}/ram/{ramGi}Gi"] = "true",
            },
            audited ? new HashSet<string> { "akash1auditor" } : new HashSet<string>());

    private static readonly Gen<BidRequirements> RequirementsGen =
        from max in Gen.Int[1, 40]
        from deny in Pick(Providers).HashSet[0, 2]
        from allowAll in Gen.Bool
        from allow in Pick(Providers).HashSet[1, 4]
        from needAuditor in Gen.Bool
        from region in Pick(["", .. Regions])
        from models in Pick(Models).HashSet[0, 2]
        from minMemory in Pick(0, 40, 80)
        select new BidRequirements
        {
            Denom = "uact",
            MaxPrice = max * 250m,
            Deny = deny,
            Allow = allowAll ? new HashSet<string>() : allow,
            SignedByAllOf = needAuditor ? ["akash1auditor"] : [],
            Attributes = region.Length == 0 ? new Dictionary<string, string>() : new Dictionary<string, string> { ["region"] = region },
            GpuModels = models,
            GpuMinMemoryBytes = minMemory == 0 ? null : (long)minMemory << 30,
        };

    [Fact]
    public void The_chosen_bid_qualifies_and_no_qualifying_bid_is_cheaper()
    {
        Gen.Select(BidGen.List[0, 25], RequirementsGen).Sample((bids, requirements) =>
        {
            var selection = LeaseBidSelector.Select(bids, requirements, height: 200, windowEndsAt: 200);
            var eligible = bids.Where(b => LeaseBidSelector.Reject(b, requirements) is null).ToList();

            if (eligible.Count == 0)
            {
                Assert.Null(selection.Chosen);
                Assert.Equal(bids.Count, selection.Rejections.Values.Sum());
                return;
            }

            var chosen = Assert.IsType<BidCandidate>(selection.Chosen);
            Assert.Null(LeaseBidSelector.Reject(chosen, requirements));
            Assert.DoesNotContain(eligible, b => b.Price < chosen.Price);
            Assert.DoesNotContain(chosen.Provider, requirements.Deny);
            Assert.True(chosen.Price <= requirements.MaxPrice);
        }, iter: 500);
    }

    [Fact]
    public void The_fallbacks_after_the_chosen_bid_are_every_other_eligible_bid_cheapest_first()
    {
        // When the chosen provider does not answer its /status, the operator leases the next one in this list.
        Gen.Select(BidGen.List[0, 25], RequirementsGen).Sample((bids, requirements) =>
        {
            var selection = LeaseBidSelector.Select(bids, requirements, height: 200, windowEndsAt: 200);
            var eligible = bids.Where(b => LeaseBidSelector.Reject(b, requirements) is null).ToList();

            Assert.Equal(eligible.Count, selection.Ranked.Count);
            Assert.All(eligible, b => Assert.Contains(b, selection.Ranked));
            Assert.Equal(selection.Chosen, selection.Ranked.FirstOrDefault());
            Assert.All(selection.Ranked.Zip(selection.Ranked.Skip(1)), pair => Assert.True(pair.First.Price <= pair.Second.Price));
        }, iter: 300);
    }

    [Fact]
    public void Ties_go_to_the_earliest_bid_then_the_provider_address_whatever_the_order_of_the_list()
    {
        Gen.Select(BidGen.List[1, 15], RequirementsGen).Sample((bids, requirements) =>
        {
            var forward = LeaseBidSelector.Select(bids, requirements, 200, 200).Chosen;
            var backward = LeaseBidSelector.Select(bids.AsEnumerable().Reverse().ToList(), requirements, 200, 200).Chosen;

            Assert.Equal(forward, backward);
        }, iter: 300);
    }

    [Fact]
    public void Nothing_is_chosen_while_the_bid_window_is_open()
    {
        var bid = new BidCandidate("akash1aaa", 0, "uact", 100m, 100, new Dictionary<string, string>(), new HashSet<string>());
        var requirements = new BidRequirements { Denom = "uact", MaxPrice = 1000m };

        var open = LeaseBidSelector.Select([bid], requirements, height: 103, windowEndsAt: 105);
        var closed = LeaseBidSelector.Select([bid], requirements, height: 105, windowEndsAt: 105);

        Assert.True(open.WindowOpen);
        Assert.Null(open.Chosen);
        Assert.Equal(bid, closed.Chosen);
    }

    [Fact]
    public void With_nothing_within_price_the_message_gives_the_best_price_seen()
    {
        var requirements = new BidRequirements { Denom = "uact", MaxPrice = 10_000m };
        BidCandidate Bid(string provider, decimal price) => new(provider, 0, "uact", price, 100, new Dictionary<string, string>(), new HashSet<string>());

        var selection = LeaseBidSelector.Select([Bid("akash1aaa", 12_500m), Bid("akash1bbb", 15_000m)], requirements, 200, 105);

        Assert.Null(selection.Chosen);
        Assert.Equal(12_500m, selection.BestPriceSeen);
        Assert.Equal(2, selection.Rejections[BidRejection.AbovePrice]);
        Assert.Equal("none of 2 bids qualifies (2 above maxPrice); the best price seen is 12500uact/block against a maximum of 10000uact", selection.Explain(requirements, 2));
    }

    [Theory]
    [InlineData("capabilities/gpu/vendor/nvidia/model/h100/ram/80Gi/interface/sxm", "h100", 80L << 30)]
    [InlineData("capabilities/gpu/vendor/nvidia/model/rtx4090/ram/24Gi", "rtx4090", 24L << 30)]
    [InlineData("capabilities/gpu/vendor/nvidia/model/a100", "a100", null)]
    public void Provider_gpu_attributes_are_read_with_their_memory(string key, string model, long? bytes)
    {
        var gpu = Assert.Single(LeaseBidSelector.AdvertisedGpus(new Dictionary<string, string> { [key] = "true", ["region"] = "us-west" }));

        Assert.Equal((model, bytes), gpu);
    }

    [Fact]
    public void Each_rule_rejects_for_its_own_reason()
    {
        var bid = new BidCandidate("akash1aaa", 0, "uact", 100m, 100,
            new Dictionary<string, string> { ["region"] = "us-west", ["capabilities/gpu/vendor/nvidia/model/a100/ram/40Gi"] = "true" },
            new HashSet<string> { "akash1auditor" });
        var ok = new BidRequirements { Denom = "uact", MaxPrice = 100m };

        Assert.Null(LeaseBidSelector.Reject(bid, ok));
        Assert.Equal(BidRejection.WrongDenom, LeaseBidSelector.Reject(bid, ok with { Denom = "uakt" }));
        Assert.Equal(BidRejection.AbovePrice, LeaseBidSelector.Reject(bid, ok with { MaxPrice = 99.99m }));
        Assert.Equal(BidRejection.Denied, LeaseBidSelector.Reject(bid, ok with { Deny = new HashSet<string> { "akash1aaa" } }));
        Assert.Equal(BidRejection.NotAllowed, LeaseBidSelector.Reject(bid, ok with { Allow = new HashSet<string> { "akash1zzz" } }));
        Assert.Equal(BidRejection.Avoided, LeaseBidSelector.Reject(bid, ok with { Avoid = new HashSet<string> { "akash1aaa" } }));
        Assert.Equal(BidRejection.MissingAuditor, LeaseBidSelector.Reject(bid, ok with { SignedByAnyOf = ["akash1other"] }));
        Assert.Equal(BidRejection.MissingAttribute, LeaseBidSelector.Reject(bid, ok with { Attributes = new Dictionary<string, string> { ["region"] = "eu-central" } }));
        Assert.Equal(BidRejection.GpuModel, LeaseBidSelector.Reject(bid, ok with { GpuModels = ["h100"] }));
        Assert.Equal(BidRejection.GpuMemory, LeaseBidSelector.Reject(bid, ok with { GpuModels = ["a100"], GpuMinMemoryBytes = 80L << 30 }));
    }
}
