using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.MarketV1;

namespace Flock.AkashClient.Tests;

public sealed class ChainQueryTests
{
    [Fact]
    public async Task A_funded_account_reports_its_number_sequence_and_balances()
    {
        await using var h = await Harness.StartAsync();
        var first = await h.FundedAsync("first");
        var second = await h.FundedAsync("second");

        var a = await h.Client.GetAccountAsync(first.Address);
        var b = await h.Client.GetAccountAsync(second.Address);
        Assert.Equal(first.Address, a.Address);
        Assert.Equal(0ul, a.Sequence);
        Assert.False(a.HasPublicKey);
        Assert.NotEqual(a.AccountNumber, b.AccountNumber);
        Assert.Equal(Harness.FundedUakt, (ulong)await h.Client.GetBalanceAsync(first.Address, "uakt"));
        Assert.Equal(Harness.FundedUact, (ulong)await h.Client.GetBalanceAsync(first.Address, "uact"));
        Assert.Equal(0ul, (ulong)await h.Client.GetBalanceAsync(first.Address, "uatom"));

        await h.Submitter.SubmitAsync(first.Wallet, [Harness.Send(first, second.Address, 1)]);
        var after = await h.Client.GetAccountAsync(first.Address);
        Assert.Equal(1ul, after.Sequence);
        Assert.True(after.HasPublicKey);
    }

    [Fact]
    public async Task A_never_funded_account_is_a_typed_error_that_says_to_fund_it()
    {
        await using var h = await Harness.StartAsync();
        var stranger = h.Own(TestAccount.Named("stranger"));

        var query = await Assert.ThrowsAsync<AkashAccountNotFundedException>(() => h.Client.GetAccountAsync(stranger.Address));
        Assert.Equal(stranger.Address, query.Address);
        Assert.Contains("fund the account first", query.Message, StringComparison.Ordinal);
        Assert.Contains(stranger.Address, query.Message, StringComparison.Ordinal);
        Assert.False(query.IsTransient);

        var submit = await Assert.ThrowsAsync<AkashAccountNotFundedException>(() => h.Submitter.SubmitAsync(stranger.Wallet, [Harness.Send(stranger, stranger.Address, 1)]));
        Assert.Contains("fund the account first", submit.Message, StringComparison.Ordinal);

        // Once funded the same wallet signs fine: nothing stale was cached from the failure.
        await h.Chain.FundAsync(stranger.Address, 1_000_000, "uakt");
        var result = await h.Submitter.SubmitAsync(stranger.Wallet, [Harness.Send(stranger, stranger.Address, 1)]);
        Assert.Equal(0ul, result.Sequence);
    }

    [Fact]
    public async Task Deployment_market_escrow_provider_and_audit_queries_follow_a_lease()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var provider = await h.FundedAsync("provider");
        var auditor = h.Own(TestAccount.Named("auditor"));
        await h.Chain.RegisterProviderAsync(provider.Address, "https://provider.example:8443", [new("host", "akash"), new("region", "us-west")]);
        await h.Chain.AddAuditedAttributesAsync(provider.Address, auditor.Address, [new("tier", "community")]);

        Assert.Null(await h.Client.GetDeploymentAsync(owner.Address, 1));
        Assert.Empty(await h.Client.ListDeploymentsAsync(owner.Address));

        // dseq 1 and 12: the escrow xid "owner/1" is a prefix of "owner/12", and must still pick the right account.
        await h.Submitter.SubmitAsync(owner.Wallet, [Scenario.Create(owner.Address, 1)]);
        await h.Submitter.SubmitAsync(owner.Wallet, [Scenario.Create(owner.Address, 12, deposit: 7_000_000)]);
        var bid = Scenario.Bid(owner.Address, 1, provider.Address);
        await h.Submitter.SubmitAsync(provider.Wallet, [bid]);
        await h.Submitter.SubmitAsync(owner.Wallet, [AkashMessages.CreateLease(bid.Id)]);

        var deployment = await h.Client.GetDeploymentAsync(owner.Address, 1);
        Assert.NotNull(deployment);
        Assert.Equal(Deployment.Types.State.Active, deployment.Deployment.State);
        Assert.Single(deployment.Groups);
        Assert.Null(await h.Client.GetDeploymentAsync(owner.Address, 2));
        Assert.Equal([1ul, 12ul], (await h.Client.ListDeploymentsAsync(owner.Address)).Select(d => d.Deployment.Id.Dseq).Order());
        Assert.Equal(2, (await h.Client.ListDeploymentsAsync(owner.Address, "active")).Count);

        var orders = await h.Client.ListOrdersAsync(owner.Address, 1);
        Assert.Equal(1u, Assert.Single(orders).Id.Gseq);
        var bids = await h.Client.ListBidsAsync(owner.Address, 1);
        Assert.Equal(provider.Address, Assert.Single(bids).Bid.Id.Provider);
        var leases = await h.Client.ListLeasesAsync(owner.Address, 1);
        var lease = Assert.Single(leases);
        Assert.Equal(Lease.Types.State.Active, lease.Lease.State);
        Assert.Equal(provider.Address, lease.Lease.Id.Provider);
        Assert.Empty(await h.Client.ListLeasesAsync(owner.Address, 12));

        var escrow1 = await h.Client.GetDeploymentEscrowAsync(owner.Address, 1);
        var escrow12 = await h.Client.GetDeploymentEscrowAsync(owner.Address, 12);
        Assert.NotNull(escrow1);
        Assert.NotNull(escrow12);
        Assert.Equal($"{owner.Address}/1", escrow1.Id.Xid);
        Assert.Equal($"{owner.Address}/12", escrow12.Id.Xid);
        Assert.Null(await h.Client.GetDeploymentEscrowAsync(owner.Address, 99));

        var minDeposits = (await h.Client.GetDeploymentParamsAsync()).MinDeposits;
        Assert.Contains(minDeposits, c => c.Denom == "uact" && c.Amount == "500000");
        Assert.Contains(minDeposits, c => c.Denom == "uakt" && c.Amount == "500000");

        var registered = await h.Client.GetProviderAsync(provider.Address);
        Assert.NotNull(registered);
        Assert.Equal("https://provider.example:8443", registered.HostUri);
        Assert.Null(await h.Client.GetProviderAsync(owner.Address));

        var audited = Assert.Single(await h.Client.GetAuditedAttributesAsync(provider.Address));
        Assert.Equal(auditor.Address, audited.Auditor);
        Assert.Equal("community", Assert.Single(audited.Attributes).Value);
        Assert.Single(await h.Client.GetAuditedAttributesAsync(provider.Address, auditor.Address));
        Assert.Empty(await h.Client.GetAuditedAttributesAsync(provider.Address, owner.Address));
    }

    [Fact]
    public async Task Latest_height_is_reported_unsupported_by_a_node_without_the_tendermint_service_or_height_header()
    {
        // A node that serves neither cosmos.base.tendermint.v1beta1.Service nor the x-cosmos-block-height header:
        // the client must say so rather than invent a height (dseq and timeouts depend on it).
        await using var h = await Harness.StartAsync(manualBlocks: true);
        h.Chain.Faults.LatestHeightUnsupported = true;
        var e = await Assert.ThrowsAsync<AkashQueryUnsupportedException>(() => h.Client.GetLatestBlockHeightAsync());
        Assert.Contains("GetLatestBlock", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latest_height_comes_from_the_node()
    {
        await using var h = await Harness.StartAsync(manualBlocks: true);
        await h.Chain.MineAsync(3);

        Assert.Equal(h.Chain.Height, await h.Client.GetLatestBlockHeightAsync());
    }

    [Fact]
    public async Task Queries_against_a_down_node_are_transient_errors()
    {
        await using var h = await Harness.StartAsync(manualBlocks: true);
        var owner = await h.FundedAsync("owner");
        h.Chain.Faults.RpcDown = true;

        var e = await Assert.ThrowsAsync<AkashRpcUnavailableException>(() => h.Client.GetAccountAsync(owner.Address));
        Assert.True(e.IsTransient);
        await Assert.ThrowsAsync<AkashRpcUnavailableException>(() => h.Client.GetDeploymentAsync(owner.Address, 1));
        await Assert.ThrowsAsync<AkashRpcUnavailableException>(() => h.Client.ListLeasesAsync(owner.Address, 1));

        h.Chain.Faults.RpcDown = false;
        Assert.Equal(0ul, (await h.Client.GetAccountAsync(owner.Address)).Sequence);
    }

    [Fact]
    public async Task A_node_that_is_not_listening_is_a_transient_error()
    {
        // A port nothing listens on: the connection is refused, as when the RPC node's pod is gone.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = new AkashChainClient(new AkashClientOptions(new Uri($"http://127.0.0.1:{port}")));
        var e = await Assert.ThrowsAsync<AkashRpcUnavailableException>(() => client.GetBalanceAsync("akash1xyz", "uakt"));
        Assert.True(e.IsTransient);
    }
}
