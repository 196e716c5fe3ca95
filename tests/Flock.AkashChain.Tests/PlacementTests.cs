using Flock.Akash.Chain;
using Flock.Akash.Protos.BaseAttributesV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1Beta5;

namespace Flock.AkashChain.Tests;

public sealed class PlacementTests
{
    private static MsgCreateDeployment GpuDeployment(Scenario s, ulong dseq, string model, string? auditor = null)
    {
        var group = Scenario.Group();
        group.Resources[0].Resource.Gpu.Attributes.Add(new Flock.Akash.Protos.BaseAttributesV1.Attribute { Key = $"vendor/nvidia/model/{model}", Value = "true" });
        if (auditor is not null)
        {
            group.Requirements.SignedBy.AllOf.Add(auditor);
        }

        return AkashMessages.CreateDeployment(s.Owner.Address, dseq, [group], Scenario.Hash("gpu"), AkashMessages.Coin(Scenario.Deposit, "uact"));
    }

    [Fact]
    public async Task Only_providers_with_the_requested_gpu_capability_can_bid()
    {
        await using var s = await Scenario.StartAsync();
        await s.Chain.RegisterProviderAsync(s.Provider.Address, "https://provider.example:8443",
            [new("host", "akash"), new("capabilities/gpu/vendor/nvidia/model/a100", "true")]);
        await s.Owner.SubmitOkAsync(GpuDeployment(s, 1, "h100"));
        await s.Owner.SubmitOkAsync(GpuDeployment(s, 2, "a100"));
        await s.Owner.SubmitOkAsync(GpuDeployment(s, 3, "*"));

        var h100 = await s.Provider.SubmitAsync(s.Bid(1));
        Assert.Equal(32u, h100.Code);
        Assert.Equal("failed to execute message; message index: 0: capabilities mismatch", h100.RawLog);
        await s.Provider.SubmitOkAsync(s.Bid(2));
        await s.Provider.SubmitOkAsync(s.Bid(3));
    }

    [Fact]
    public async Task Signed_by_requires_the_auditor_to_attest_the_placement_attributes()
    {
        await using var s = await Scenario.StartAsync();
        using var auditor = new ChainClient(s.Chain, "auditor");
        await s.Owner.SubmitOkAsync(GpuDeployment(s, 1, "*", auditor.Address));
        Assert.Equal(5u, (await s.Provider.SubmitAsync(s.Bid(1))).Code);

        await s.Chain.RegisterProviderAsync(s.Provider.Address, "https://provider.example:8443",
            [new("host", "akash"), new("capabilities/gpu/vendor/nvidia/model/h100", "true")]);
        await s.Chain.AddAuditedAttributesAsync(s.Provider.Address, auditor.Address, [new("host", "akash")]);
        await s.Provider.SubmitOkAsync(s.Bid(1));
    }

    [Fact]
    public async Task Offers_must_name_the_groups_resources_and_bids_cannot_exceed_the_order_price()
    {
        await using var s = await Scenario.StartAsync();
        await s.Owner.SubmitOkAsync(s.Create(1));
        var wrongOffer = s.Bid(1);
        wrongOffer.ResourcesOffer.Add(new ResourceOffer { Resources = new Flock.Akash.Protos.BaseResourcesV1Beta4.Resources { Id = 9 }, Count = 1 });
        Assert.Equal(32u, (await s.Provider.SubmitAsync(wrongOffer)).Code);

        var tooDear = await s.Provider.SubmitAsync(s.Bid(1, price: "10001"));
        Assert.Equal(22u, tooDear.Code);
        Assert.Equal("failed to execute message; message index: 0: bid price is invalid", tooDear.RawLog);

        var goodOffer = s.Bid(1);
        goodOffer.ResourcesOffer.Add(new ResourceOffer { Resources = new Flock.Akash.Protos.BaseResourcesV1Beta4.Resources { Id = 1 }, Count = 1 });
        await s.Provider.SubmitOkAsync(goodOffer);
        var twice = await s.Provider.SubmitAsync(s.Bid(1));
        Assert.Equal(21u, twice.Code);
    }

    [Fact]
    public async Task An_order_takes_bids_up_to_the_node_limit()
    {
        // order_max_bids 2: the node refuses once more than 2 bids exist (its check is "count > max").
        await using var s = await Scenario.StartAsync(new Flock.Sandbox.AkashChain.AkashChainOptions(OrderMaxBids: 2));
        await s.Owner.SubmitOkAsync(s.Create(1));
        for (var i = 0; i < 4; i++)
        {
            using var p = new ChainClient(s.Chain, $"bidder-{i}");
            await s.Chain.FundAsync(p.Address, 2_000_000, "uakt");
            await s.Chain.RegisterProviderAsync(p.Address, $"https://p{i}.example:8443", [new("host", "akash")]);
            var bid = s.Bid(1);
            bid.Id.Provider = p.Address;
            var result = await p.SubmitAsync(bid);
            if (i < 3)
            {
                Assert.Equal(0u, result.Code);
            }
            else
            {
                Assert.Equal(31u, result.Code);
                Assert.Equal("failed to execute message; message index: 0: invalid bid: too many existing bids (2)", result.RawLog);
            }
        }
    }
}
