using System.Numerics;
using Flock.Akash.Chain;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;

namespace Flock.AkashChain.Tests;

public sealed class LeaseLifecycleTests
{
    private static readonly BigInteger One = BigInteger.Pow(10, 18);

    [Fact]
    public async Task Escrow_pays_the_bid_price_every_block_and_closing_refunds_the_rest()
    {
        await using var s = await Scenario.StartAsync();
        var lease = await s.LeaseAsync(7, price: "8000");
        var leaseInfo = await s.Owner.Market.LeaseAsync(new QueryLeaseRequest { Id = lease });
        Assert.Equal(Lease.Types.State.Active, leaseInfo.Lease.State);
        Assert.Equal(LegacyDec.ToWire("8000"), leaseInfo.Lease.Price.Amount);
        Assert.Equal(EscrowState.Open, leaseInfo.EscrowPayment.State.State);
        Assert.Equal($"1/1/{s.Provider.Address}", leaseInfo.EscrowPayment.Id.Xid);

        var order = await s.Owner.Market.OrderAsync(new QueryOrderRequest { Id = new OrderID { Owner = s.Owner.Address, Dseq = 7, Gseq = 1, Oseq = 1 } });
        Assert.Equal(Order.Types.State.Active, order.Order.State);
        var createdAt = leaseInfo.Lease.CreatedAt;

        BigInteger Funds(QueryDeploymentResponse d) => BigInteger.Parse(d.EscrowAccount.State.Funds.Single().Amount, System.Globalization.CultureInfo.InvariantCulture);
        var id = new QueryDeploymentRequest { Id = new DeploymentID { Owner = s.Owner.Address, Dseq = 7 } };
        var before = Funds(await s.Owner.Deployments.DeploymentAsync(id));
        await s.Chain.MineAsync(10);
        var after = Funds(await s.Owner.Deployments.DeploymentAsync(id));
        Assert.Equal(10 * 8000 * One, before - after);

        var providerBefore = await s.Provider.BalanceAsync("uact");
        var close = await s.Owner.SubmitOkAsync(AkashMessages.CloseDeployment(s.Owner.Address, 7));
        var blocksPaid = close.Height - createdAt;
        var paid = (ulong)blocksPaid * 8000;

        Assert.Equal(paid, await s.Provider.BalanceAsync("uact") - providerBefore);
        Assert.Equal(Scenario.OwnerUact - paid, await s.Owner.BalanceAsync("uact"));
        var closed = await s.Owner.Deployments.DeploymentAsync(id);
        Assert.Equal(Deployment.Types.State.Closed, closed.Deployment.State);
        Assert.Equal(Group.Types.State.Closed, closed.Groups.Single().State);
        Assert.Equal(EscrowState.Closed, closed.EscrowAccount.State.State);
        var closedLease = await s.Owner.Market.LeaseAsync(new QueryLeaseRequest { Id = lease });
        Assert.Equal(Lease.Types.State.Closed, closedLease.Lease.State);
        Assert.Equal(LeaseClosedReason.LeaseClosedOwner, closedLease.Lease.Reason);
        Assert.Equal(EscrowState.Closed, closedLease.EscrowPayment.State.State);

        var sheet = s.Chain.BalanceSheet(s.Owner.Address);
        Assert.True(sheet.Balances);
        Assert.Equal(Scenario.Deposit * One, sheet.Deposited);
        Assert.Equal(paid * One, sheet.PaidToProviders);
        Assert.Equal((Scenario.Deposit - paid) * One, sheet.Refunded);
        Assert.Equal(BigInteger.Zero, sheet.HeldInEscrow);

        // The provider's bid deposit came back when the bid closed.
        var bid = await s.Owner.Market.BidAsync(new QueryBidRequest { Id = new BidID { Owner = lease.Owner, Dseq = 7, Gseq = 1, Oseq = 1, Provider = lease.Provider } });
        Assert.Equal(Bid.Types.State.Closed, bid.Bid.State);
        Assert.Equal(EscrowState.Closed, bid.EscrowAccount.State.State);
        Assert.Equal(s.Chain.BalanceSheet(s.Provider.Address).Deposited, s.Chain.BalanceSheet(s.Provider.Address).Refunded);
    }

    [Fact]
    public async Task Leasing_one_bid_makes_the_other_bids_lost_and_returns_their_deposits()
    {
        await using var s = await Scenario.StartAsync();
        using var rival = new ChainClient(s.Chain, "rival");
        await s.Chain.FundAsync(rival.Address, 5_000_000, "uakt");
        await s.Chain.RegisterProviderAsync(rival.Address, "https://rival.example:8443", [new("host", "akash")]);
        await s.Owner.SubmitOkAsync(s.Create(9));
        var mine = s.Bid(9, "9000");
        var theirs = s.Bid(9, "7000");
        theirs.Id.Provider = rival.Address;
        await s.Provider.SubmitOkAsync(mine);
        await rival.SubmitOkAsync(theirs);
        var rivalAfterBid = await rival.BalanceAsync("uakt");

        var bids = await s.Owner.Market.BidsAsync(new QueryBidsRequest { Filters = new BidFilters { Owner = s.Owner.Address, Dseq = 9, State = "open" } });
        Assert.Equal(2, bids.Bids.Count);

        await s.Owner.SubmitOkAsync(AkashMessages.CreateLease(mine.Id));
        var lost = await s.Owner.Market.BidAsync(new QueryBidRequest { Id = theirs.Id });
        Assert.Equal(Bid.Types.State.Lost, lost.Bid.State);
        Assert.Equal(rivalAfterBid + 500_000, await rival.BalanceAsync("uakt"));
        Assert.Equal(Bid.Types.State.Active, (await s.Owner.Market.BidAsync(new QueryBidRequest { Id = mine.Id })).Bid.State);

        // Leasing the lost bid now fails with the node's "bid not open".
        var retry = await s.Owner.SubmitAsync(AkashMessages.CreateLease(theirs.Id));
        Assert.Equal(12u, retry.Code);
        Assert.Equal("market", retry.Codespace);
        Assert.Equal("failed to execute message; message index: 0: bid not open", retry.RawLog);
    }

    [Fact]
    public async Task Closing_a_lease_opens_a_new_order_for_the_group()
    {
        await using var s = await Scenario.StartAsync();
        var lease = await s.LeaseAsync(11);
        await s.Chain.MineAsync(3);
        await s.Owner.SubmitOkAsync(AkashMessages.CloseLease(lease));

        var orders = await s.Owner.Market.OrdersAsync(new QueryOrdersRequest { Filters = new OrderFilters { Owner = s.Owner.Address, Dseq = 11 } });
        Assert.Equal([Order.Types.State.Closed, Order.Types.State.Open], orders.Orders.Select(o => o.State));
        Assert.Equal(2u, orders.Orders[1].Id.Oseq);
        var closed = await s.Owner.Market.LeaseAsync(new QueryLeaseRequest { Id = lease });
        Assert.Equal(LeaseClosedReason.LeaseClosedOwner, closed.Lease.Reason);

        // A new bid on the new order can be leased again, and the books still balance after closing.
        await s.Provider.SubmitOkAsync(s.Bid(11, oseq: 2));
        await s.Owner.SubmitOkAsync(AkashMessages.CreateLease(s.Bid(11, oseq: 2).Id));
        await s.Chain.MineAsync(2);
        await s.Owner.SubmitOkAsync(AkashMessages.CloseDeployment(s.Owner.Address, 11));
        Assert.True(s.Chain.BalanceSheet(s.Owner.Address).Balances);
    }

    [Fact]
    public async Task A_provider_closing_its_bid_ends_the_lease_and_pauses_the_group()
    {
        await using var s = await Scenario.StartAsync();
        var lease = await s.LeaseAsync(12);
        var bidId = new BidID { Owner = lease.Owner, Dseq = lease.Dseq, Gseq = lease.Gseq, Oseq = lease.Oseq, Provider = lease.Provider, Bseq = lease.Bseq };
        await s.Provider.SubmitOkAsync(new MsgCloseBid { Id = bidId, Reason = LeaseClosedReason.ManifestTimeout });

        var closed = await s.Owner.Market.LeaseAsync(new QueryLeaseRequest { Id = lease });
        Assert.Equal(Lease.Types.State.Closed, closed.Lease.State);
        Assert.Equal(LeaseClosedReason.ManifestTimeout, closed.Lease.Reason);
        var deployment = await s.Owner.Deployments.DeploymentAsync(new QueryDeploymentRequest { Id = new DeploymentID { Owner = s.Owner.Address, Dseq = 12 } });
        Assert.Equal(Group.Types.State.Paused, deployment.Groups.Single().State);
        Assert.Equal(Deployment.Types.State.Active, deployment.Deployment.State);
    }

    [Fact]
    public async Task An_escrow_that_runs_dry_ends_the_lease_for_insufficient_funds()
    {
        await using var s = await Scenario.StartAsync();

        // 500000 uact at 100000 per block: five full blocks.
        var lease = await s.LeaseAsync(13, deposit: 500_000, price: "100000");
        var providerBefore = await s.Provider.BalanceAsync("uact");
        await s.Chain.MineAsync(8);

        var ended = await s.Owner.Market.LeaseAsync(new QueryLeaseRequest { Id = lease });
        Assert.Equal(Lease.Types.State.InsufficientFunds, ended.Lease.State);
        Assert.Equal(LeaseClosedReason.InsufficientFunds, ended.Lease.Reason);
        Assert.Equal(EscrowState.Overdrawn, ended.EscrowPayment.State.State);

        var deployment = await s.Owner.Deployments.DeploymentAsync(new QueryDeploymentRequest { Id = new DeploymentID { Owner = s.Owner.Address, Dseq = 13 } });
        Assert.Equal(Group.Types.State.InsufficientFunds, deployment.Groups.Single().State);
        Assert.Equal(Deployment.Types.State.Closed, deployment.Deployment.State);
        Assert.Equal(EscrowState.Overdrawn, deployment.EscrowAccount.State.State);

        // Every unit of the deposit went to the provider; nothing leaked, nothing refunded.
        Assert.Equal(500_000ul, await s.Provider.BalanceAsync("uact") - providerBefore);
        var sheet = s.Chain.BalanceSheet(s.Owner.Address);
        Assert.True(sheet.Balances);
        Assert.Equal(500_000 * One, sheet.PaidToProviders);
        Assert.Equal(BigInteger.Zero, sheet.Refunded);

        var accounts = await s.Owner.Escrow.AccountsAsync(new QueryAccountsRequest { Xid = $"{s.Owner.Address}/13", State = "overdrawn" });
        Assert.Single(accounts.Accounts);
    }

    [Fact]
    public async Task A_top_up_extends_the_lease_and_is_refunded_if_unused()
    {
        await using var s = await Scenario.StartAsync();
        var lease = await s.LeaseAsync(14, deposit: 500_000, price: "100000");
        await s.Owner.SubmitOkAsync(AkashMessages.DepositToDeployment(s.Owner.Address, s.Owner.Address, 14, AkashMessages.Coin(1_000_000, "uact")));
        await s.Chain.MineAsync(5);
        Assert.Equal(Lease.Types.State.Active, (await s.Owner.Market.LeaseAsync(new QueryLeaseRequest { Id = lease })).Lease.State);
        await s.Owner.SubmitOkAsync(AkashMessages.CloseDeployment(s.Owner.Address, 14));
        var sheet = s.Chain.BalanceSheet(s.Owner.Address);
        Assert.True(sheet.Balances);
        Assert.Equal(1_500_000 * One, sheet.Deposited);
        Assert.True(sheet.Refunded > 0);

        var afterClose = await s.Owner.SubmitAsync(AkashMessages.DepositToDeployment(s.Owner.Address, s.Owner.Address, 14, AkashMessages.Coin(1_000_000, "uact")));
        Assert.Equal(2u, afterClose.Code);
        Assert.Equal("escrow", afterClose.Codespace);
    }

    [Fact]
    public async Task A_hundred_create_close_cycles_cost_only_fees()
    {
        await using var s = await Scenario.StartAsync();
        for (ulong dseq = 1; dseq <= 100; dseq++)
        {
            await s.Owner.SubmitOkAsync(s.Create(dseq));
            await s.Owner.SubmitOkAsync(AkashMessages.CloseDeployment(s.Owner.Address, dseq));
        }

        var sheet = s.Chain.BalanceSheet(s.Owner.Address);
        Assert.True(sheet.Balances);
        Assert.Equal(100 * Scenario.Deposit * One, sheet.Deposited);
        Assert.Equal(sheet.Deposited, sheet.Refunded);
        Assert.Equal(Scenario.OwnerUact, await s.Owner.BalanceAsync("uact"));
        Assert.Equal(Scenario.OwnerUakt - (ulong)sheet.Fees, await s.Owner.BalanceAsync("uakt"));
        Assert.Equal(200ul, (await s.Owner.AccountAsync()).Sequence);
        var active = await s.Owner.Deployments.DeploymentsAsync(new QueryDeploymentsRequest { Filters = new DeploymentFilters { Owner = s.Owner.Address, State = "active" } });
        Assert.Empty(active.Deployments);
    }
}
