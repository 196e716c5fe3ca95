using Flock.Akash.Chain;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>The operator's lease flow against several simulated providers, with our own signed transactions.</summary>
public sealed class LeaseFlowTests
{
    [Fact]
    public async Task Providers_bid_the_cheapest_is_leased_and_the_manifest_makes_the_workload_ready()
    {
        await using var w = await World.StartAsync(
            new SimulatedProviderOptions { Name = "dear", Pricing = BidPricing.FractionOfMax(0.9m) },
            new SimulatedProviderOptions { Name = "cheap", Pricing = BidPricing.FractionOfMax(0.3m), StartDelay = TimeSpan.FromMilliseconds(300) },
            new SimulatedProviderOptions { Name = "fixed", Pricing = BidPricing.Fixed(6000m) },
            new SimulatedProviderOptions { Name = "a100-only", Inventory = ProviderInventory.WithGpus(new GpuInventory("a100", 4)) });
        var d = await w.DeployAsync(price: "10000");

        var bids = await w.BidsAsync(d.Dseq, 3);
        Assert.Equal(3, bids.Select(b => b.Bid.Id.Provider).Distinct().Count());
        Assert.DoesNotContain(bids, b => b.Bid.Id.Provider == w["a100-only"].Address);
        var lease = await w.LeaseCheapestAsync(d.Dseq, 3);
        Assert.Equal(w["cheap"].Address, lease.Provider);
        Assert.Equal(3000m, decimal.Parse(LegacyDec.FromWire((await w.LeaseAsync(lease))!.Price.Amount), System.Globalization.CultureInfo.InvariantCulture));

        var endpoint = await w.EndpointAsync(lease.Provider);
        await Eventually.TrueAsync(() => w["cheap"].ActiveLeases == 1, "the provider noticed its lease");
        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);
        Assert.Equal(1, w["cheap"].Counters.ManifestsAccepted);

        var status = await Eventually.ValueAsync(async () =>
        {
            var s = await w.Api.GetLeaseStatusAsync(endpoint, LeaseId.From(lease), w.Jwt, default);
            return s.AllServicesReady ? s : null;
        }, "lease status ready");
        var service = Assert.Single(status.Services).Value;
        Assert.Equal("flock-train", service.Name);
        Assert.Equal(1, service.ReadyReplicas);
        Assert.NotEmpty(service.Uris);

        var logs = await w.Api.GetLogsAsync(endpoint, LeaseId.From(lease), w.Jwt, tail: 2, default);
        Assert.Equal(2, logs.Count);
        Assert.All(logs, l => Assert.StartsWith("flock-train-", l.Name, StringComparison.Ordinal));

        // The losers' bids are lost and their capacity is free again (they bid on the next order).
        var lost = await w.Client.ListBidsAsync(w.Owner.Address, d.Dseq, "lost");
        Assert.True(2 == lost.Count, string.Join(", ", (await w.Client.ListBidsAsync(w.Owner.Address, d.Dseq)).Select(b => b.Bid.State)));
    }

    [Fact]
    public async Task Only_providers_with_the_placement_attributes_audit_and_gpu_model_bid()
    {
        using var auditorWallet = World.NewWallet("auditor").Wallet;
        var auditor = auditorWallet.Address;
        await using var w = await World.StartAsync(
            new SimulatedProviderOptions { Name = "eu-audited", Attributes = new Dictionary<string, string> { ["region"] = "eu-central" }, AuditedBy = [auditor] },
            new SimulatedProviderOptions { Name = "eu-unaudited", Attributes = new Dictionary<string, string> { ["region"] = "eu-central" } },
            new SimulatedProviderOptions { Name = "us-audited", AuditedBy = [auditor] },
            new SimulatedProviderOptions { Name = "eu-audited-4090", Attributes = new Dictionary<string, string> { ["region"] = "eu-central" }, AuditedBy = [auditor],
                Inventory = ProviderInventory.WithGpus(new GpuInventory("rtx4090", 8, "24Gi")) });
        var d = await w.DeployAsync(customize: r => r with
        {
            Attributes = new Dictionary<string, string> { ["region"] = "eu-central" },
            SignedByAllOf = [auditor],
            GpuModels = ["h100", "a100"],
        });

        var bid = Assert.Single(await w.BidsAsync(d.Dseq, 1));
        Assert.Equal(w["eu-audited"].Address, bid.Bid.Id.Provider);
        await Eventually.TrueAsync(() => w.Fleet.Providers.Where(p => p.Name != "eu-audited").All(p => p.Counters.OrdersDeclined == 1), "the others declined");
        Assert.Single(await w.Client.ListBidsAsync(w.Owner.Address, d.Dseq));
    }

    [Fact]
    public async Task A_never_bid_provider_sees_orders_but_never_bids_and_a_down_one_is_unreachable()
    {
        await using var w = await World.StartAsync(
            new SimulatedProviderOptions { Name = "mute" },
            new SimulatedProviderOptions { Name = "bidder" });
        w["mute"].Faults.NeverBid = true;
        var d = await w.DeployAsync();
        await w.BidsAsync(d.Dseq, 1);
        await Eventually.TrueAsync(() => w["mute"].Counters.OrdersDeclined >= 1, "the mute provider looked at the order");
        Assert.Equal(0, w["mute"].Counters.BidsSent);
        Assert.DoesNotContain(await w.Client.ListBidsAsync(w.Owner.Address, d.Dseq), b => b.Bid.Id.Provider == w["mute"].Address);

        var endpoint = await w.EndpointAsync(w["bidder"].Address);
        await w["bidder"].SetDownAsync(true);
        var e = await Assert.ThrowsAsync<ProviderException>(() => w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default));
        Assert.Equal(ProviderErrorKind.Unreachable, e.Kind);
        Assert.Null(e.StatusCode);
        Assert.Contains(w["bidder"].Address, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(World.SecretApiKey, e.ToString(), StringComparison.Ordinal);

        await w["bidder"].SetDownAsync(false);
        var back = await Assert.ThrowsAsync<ProviderException>(() => w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default));
        Assert.Equal(ProviderErrorKind.LeaseNotFound, back.Kind);
    }

    [Fact]
    public async Task A_provider_closing_its_lease_pauses_the_group()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "quitter" });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        await Eventually.TrueAsync(() => w["quitter"].ActiveLeases == 1, "the provider noticed its lease");

        await w["quitter"].CloseLeaseAsync(lease, LeaseClosedReason.Decommission);

        var closed = await Eventually.ValueAsync(async () => await w.LeaseAsync(lease) is { State: Lease.Types.State.Closed } l ? l : null, "lease closed");
        Assert.Equal(LeaseClosedReason.Decommission, closed.Reason);
        var deployment = await w.Client.GetDeploymentAsync(w.Owner.Address, d.Dseq);
        Assert.Equal(Group.Types.State.Paused, Assert.Single(deployment!.Groups).State);
        Assert.DoesNotContain(await w.Client.ListOrdersAsync(w.Owner.Address, d.Dseq), o => o.State == Order.Types.State.Open);
        await Eventually.TrueAsync(() => w["quitter"].ActiveLeases == 0, "the provider dropped the workload");
    }

    [Fact]
    public async Task Without_a_manifest_the_provider_closes_the_lease_with_reason_manifest_timeout()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "impatient", ManifestTimeout = TimeSpan.FromMilliseconds(500) });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);

        var closed = await Eventually.ValueAsync(async () => await w.LeaseAsync(lease) is { State: Lease.Types.State.Closed } l ? l : null, "lease closed by the provider");
        Assert.Equal(LeaseClosedReason.ManifestTimeout, closed.Reason);
        await Eventually.TrueAsync(() => w["impatient"].Counters.LeasesClosedByProvider == 1, "the provider counted its close once the tx was seen");
        var deployment = await w.Client.GetDeploymentAsync(w.Owner.Address, d.Dseq);
        Assert.Equal(Group.Types.State.Paused, Assert.Single(deployment!.Groups).State);
    }

    [Fact]
    public async Task An_unanswered_bid_is_closed_after_the_bid_timeout_and_the_capacity_comes_back()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions
        {
            Name = "one-gpu",
            BidTimeout = TimeSpan.FromMilliseconds(400),
            Inventory = ProviderInventory.WithGpus(new GpuInventory("h100", 1)),
        });
        var first = await w.DeployAsync();
        await w.BidsAsync(first.Dseq, 1);

        var closed = await Eventually.ValueAsync(async () =>
            (await w.Client.ListBidsAsync(w.Owner.Address, first.Dseq, "closed")).FirstOrDefault(), "the bid closed by the provider");
        Assert.Equal(w["one-gpu"].Address, closed.Bid.Id.Provider);
        await Eventually.TrueAsync(() => w["one-gpu"].Counters.BidsClosed == 1, "the provider counted its close once the tx was seen");

        // Its only GPU was reserved by the first bid; now free again, it bids on a second deployment.
        var second = await w.DeployAsync();
        await w.BidsAsync(second.Dseq, 1);
    }

    [Fact]
    public async Task A_provider_bids_once_per_order_and_not_again_after_its_bid_timed_out()
    {
        // provider bidengine/service.go handles each order once; the chain keeps the order open with only a closed bid.
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "once", BidTimeout = TimeSpan.FromMilliseconds(300) });
        var first = await w.DeployAsync();
        await w.BidsAsync(first.Dseq, 1);
        await Eventually.ValueAsync(async () => (await w.Client.ListBidsAsync(w.Owner.Address, first.Dseq, "closed")).FirstOrDefault(), "the bid closed after the bid timeout");

        // A later order is bid on: the engine has looked at the open orders again since, the first one included.
        var second = await w.DeployAsync();
        await w.BidsAsync(second.Dseq, 1);

        var order = Assert.Single(await w.Client.ListOrdersAsync(w.Owner.Address, first.Dseq));
        Assert.Equal(Order.Types.State.Open, order.State); // orders never expire on chain
        var bids = await w.Client.ListBidsAsync(w.Owner.Address, first.Dseq);
        Assert.Equal(Bid.Types.State.Closed, Assert.Single(bids).Bid.State);
        Assert.Equal(2, w["once"].Counters.BidsSent);
        Assert.Equal(0, w["once"].Counters.BidsFailed); // no second bid was even tried (the chain would refuse it: bid exists)
    }

    [Fact]
    public async Task The_chain_refuses_a_bid_once_the_order_has_more_than_order_max_bids()
    {
        await using var w = await World.StartAsync();
        var d = await w.DeployAsync();
        var bidders = Enumerable.Range(0, 22).Select(i => World.NewWallet($"bulk-bidder-{i}").Wallet).ToList();
        foreach (var b in bidders)
        {
            await w.Chain.FundAsync(b.Address, 5_000_000, "uakt");
            await w.Chain.RegisterProviderAsync(b.Address, "https://bulk.example:8443", [new("host", "akash"), new("capabilities/gpu/vendor/nvidia/model/h100", "true")]);
        }

        var results = await Task.WhenAll(bidders.Select(async b =>
        {
            var bid = new MsgCreateBid
            {
                Id = new BidID { Owner = w.Owner.Address, Dseq = d.Dseq, Gseq = 1, Oseq = 1, Provider = b.Address },
                Price = new Flock.Akash.Protos.CosmosBaseV1Beta1.DecCoin { Denom = "uact", Amount = LegacyDec.ToWire("5000") },
                Deposit = new Flock.Akash.Protos.BaseDepositV1.Deposit { Amount = AkashMessages.Coin(500_000, "uakt"), Sources = { Flock.Akash.Protos.BaseDepositV1.Source.Balance } },
            };
            try
            {
                await w.Submitter.SubmitAsync(b, [bid]);
                return (string?)null;
            }
            catch (Flock.Akash.Client.AkashTxException e)
            {
                return e.RawLog;
            }
            catch (Flock.Akash.Client.AkashSimulationException e)
            {
                // Once earlier bids are in a block, Simulate already sees the limit.
                return e.RawLog;
            }
        }));

        // node: BidCountForOrder > order_max_bids (20) refuses, so 21 bids fit and the 22nd is the first refused.
        Assert.Equal(21, results.Count(r => r is null));
        var refused = Assert.Single(results, r => r is not null)!;
        Assert.Contains("invalid bid: too many existing bids (20)", refused, StringComparison.Ordinal);
        bidders.ForEach(b => b.Dispose());
    }
}
