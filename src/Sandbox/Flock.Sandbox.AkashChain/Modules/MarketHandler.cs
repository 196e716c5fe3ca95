using Flock.Akash.Chain;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain.State;
using Flock.Sandbox.AkashChain.Tx;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>akash.market.v1beta5.Msg as node v2.x handles it (x/market/handler/server.go).</summary>
internal static class MarketHandler
{
    public static void ValidateCreateBid(MsgCreateBid msg)
    {
        if (msg.Id is null)
        {
            throw ChainErrors.InvalidBid.Fail("empty bid id");
        }

        Validation.DepositAmount(msg.Deposit, ChainErrors.InvalidBidDeposit);
        if (!Validation.IsAddress(msg.Id.Provider))
        {
            throw ChainErrors.EmptyProvider.Fail();
        }

        if (!Validation.IsAddress(msg.Id.Owner))
        {
            throw ChainErrors.InvalidBid.Fail("empty owner");
        }

        if (msg.Id.Provider == msg.Id.Owner)
        {
            throw ChainErrors.SameAccount.Fail();
        }

        if (Validation.DecAmount(msg.Price).IsZero)
        {
            throw ChainErrors.BidZeroPrice.Fail();
        }
    }

    public static void CreateBid(MsgContext ctx, MsgCreateBid msg)
    {
        var state = ctx.State;
        var denom = msg.Deposit.Amount.Denom;
        var amount = Validation.CoinAmount(msg.Deposit.Amount);
        if (denom is not (AkashNetwork.Uact or AkashNetwork.Uakt))
        {
            throw ChainErrors.InvalidBidDeposit.FailAppend($"unsupported denom {denom}");
        }

        if (amount < ctx.Options.BidMinDeposit)
        {
            throw ChainErrors.InvalidBidDeposit.FailAppend($"minimum:{ctx.Options.BidMinDeposit}{denom} received:{amount}{denom}");
        }

        var key = Market.KeyOf(msg.Id);

        // node x/market/handler/server.go: BidCountForOrder counts the order's open, active and closed bids (lost ones
        // are not counted) and the check is '>' OrderMaxBids, so with the default 20 the 21st bid is still accepted and
        // the 22nd is refused. Kept exactly so.
        if (state.Bids.Count(b => b.Key.Order == key.Order && b.Value.State != Bid.Types.State.Lost) > ctx.Options.OrderMaxBids)
        {
            throw ChainErrors.InvalidBid.FailAppend($"too many existing bids ({ctx.Options.OrderMaxBids})");
        }

        if (key.Bseq != 0)
        {
            throw ChainErrors.InvalidBid.Fail();
        }

        if (!state.Orders.TryGetValue(key.Order, out var order))
        {
            throw ChainErrors.OrderNotFound.Fail();
        }

        if (order.State != Order.Types.State.Open)
        {
            throw ChainErrors.OrderNotOpen.Fail();
        }

        var price = Validation.DecAmount(msg.Price);
        if (msg.Price.Denom != order.Spec.Resources[0].Price.Denom || DeploymentHandler.GroupPrice(order.Spec) < price)
        {
            throw ChainErrors.BidInvalidPrice.Fail();
        }

        if (!Placement.MatchOffer(msg.ResourcesOffer, order.Spec))
        {
            throw ChainErrors.CapabilitiesMismatch.Fail();
        }

        if (!state.Providers.TryGetValue(key.Provider, out var provider))
        {
            throw ChainErrors.UnknownProvider.Fail();
        }

        var audits = state.Audits.Where(a => a.Owner == key.Provider).ToList();
        if (!Placement.MatchRequirements(order.Spec, provider.Attributes, audits))
        {
            throw ChainErrors.AttributeMismatch.Fail();
        }

        if (!Placement.MatchResources(order.Spec, provider.Attributes))
        {
            throw ChainErrors.CapabilitiesMismatch.Fail();
        }

        if (state.Bids.ContainsKey(key))
        {
            throw ChainErrors.BidExists.Fail();
        }

        var bid = new Bid { Id = msg.Id.Clone(), State = Bid.Types.State.Open, Price = msg.Price.Clone(), CreatedAt = ctx.Height };
        bid.ResourcesOffer.AddRange(msg.ResourcesOffer.Select(r => r.Clone()));
        state.Bids[key] = bid;
        EscrowKeeper.CreateAccount(state, Scope.Bid, key.ToString(), key.Provider, key.Provider, denom, amount, msg.Deposit.Sources[0]);
    }

    public static void CloseBid(MsgContext ctx, MsgCloseBid msg)
    {
        var state = ctx.State;
        var key = Market.KeyOf(msg.Id);
        if (!state.Bids.TryGetValue(key, out var bid))
        {
            throw ChainErrors.UnknownBid.Fail();
        }

        if (!state.Orders.TryGetValue(key.Order, out var order))
        {
            throw ChainErrors.UnknownOrderForBid.Fail();
        }

        if (bid.State == Bid.Types.State.Open)
        {
            Market.CloseBid(state, key, bid);
            return;
        }

        if (!state.Leases.TryGetValue(key, out var lease))
        {
            throw ChainErrors.UnknownLeaseForBid.Fail();
        }

        if (lease.State != Lease.Types.State.Active)
        {
            throw ChainErrors.LeaseNotActive.Fail();
        }

        if (bid.State != Bid.Types.State.Active)
        {
            throw ChainErrors.BidNotActive.Fail();
        }

        // A provider walking away pauses the group: no new order until the owner starts it again.
        if (state.Groups.TryGetValue(key.Order.Group, out var group) && group.State == Group.Types.State.Open)
        {
            group.State = Group.Types.State.Paused;
        }

        Market.CloseLease(state, lease, Lease.Types.State.Closed, msg.Reason);
        Market.CloseBid(state, key, bid);
        order.State = Order.Types.State.Closed;
        ClosePayment(state, key);
    }

    public static void CreateLease(MsgContext ctx, MsgCreateLease msg)
    {
        var state = ctx.State;
        var key = Market.KeyOf(msg.BidId);
        if (!state.Bids.TryGetValue(key, out var bid))
        {
            throw ChainErrors.BidNotFound.Fail();
        }

        if (bid.State != Bid.Types.State.Open)
        {
            throw ChainErrors.BidNotOpen.Fail();
        }

        if (!state.Orders.TryGetValue(key.Order, out var order))
        {
            throw ChainErrors.OrderNotFound.Fail();
        }

        if (order.State != Order.Types.State.Open)
        {
            throw ChainErrors.OrderNotOpen.Fail();
        }

        if (!state.Groups.TryGetValue(key.Order.Group, out var group))
        {
            throw ChainErrors.MarketGroupNotFound.Fail();
        }

        if (group.State != Group.Types.State.Open)
        {
            throw ChainErrors.MarketGroupNotOpen.Fail();
        }

        var accountKey = EscrowAccountRecord.AccountKey(Scope.Deployment, key.Order.Group.Deployment.ToString());
        if (!state.EscrowAccounts.TryGetValue(accountKey, out var account))
        {
            throw ChainErrors.AccountNotFound.Fail();
        }

        EscrowKeeper.CreatePayment(state, account, key, Validation.DecAmount(bid.Price));
        order.State = Order.Types.State.Active;
        bid.State = Bid.Types.State.Active;
        foreach (var (otherKey, other) in state.Bids.Where(b => b.Key.Order == key.Order && b.Key != key && b.Value.State == Bid.Types.State.Open).ToList())
        {
            Market.CloseBid(state, otherKey, other, Bid.Types.State.Lost);
        }

        state.Leases[key] = new Lease
        {
            Id = AkashMessages.LeaseOf(msg.BidId),
            State = Lease.Types.State.Active,
            Price = bid.Price.Clone(),
            CreatedAt = ctx.Height,
        };
    }

    public static void CloseLease(MsgContext ctx, MsgCloseLease msg)
    {
        var state = ctx.State;
        var key = Market.KeyOf(msg.Id);
        if (!state.Orders.TryGetValue(key.Order, out var order))
        {
            throw ChainErrors.OrderNotFound.Fail();
        }

        if (order.State != Order.Types.State.Active)
        {
            throw ChainErrors.OrderClosed.Fail();
        }

        if (!state.Bids.TryGetValue(key, out var bid))
        {
            throw ChainErrors.BidNotFound.Fail();
        }

        if (bid.State != Bid.Types.State.Active)
        {
            throw ChainErrors.BidNotActive.Fail();
        }

        if (!state.Leases.TryGetValue(key, out var lease))
        {
            throw ChainErrors.LeaseNotFound.Fail();
        }

        if (lease.State != Lease.Types.State.Active)
        {
            throw ChainErrors.OrderClosed.Fail();
        }

        // The owner's reason is always lease_closed_owner, whatever the message says (as the node does).
        Market.CloseLease(state, lease, Lease.Types.State.Closed, LeaseClosedReason.LeaseClosedOwner);
        Market.CloseBid(state, key, bid);
        order.State = Order.Types.State.Closed;
        ClosePayment(state, key);

        // A group that is still open gets a fresh order (oseq + 1), so providers can bid again.
        if (state.Groups.TryGetValue(key.Order.Group, out var group) && group.State == Group.Types.State.Open)
        {
            Market.CreateOrder(state, key.Order.Group, group.GroupSpec);
        }
    }

    public static void WithdrawLease(MsgContext ctx, MsgWithdrawLease msg)
    {
        var key = Market.KeyOf(msg.Id);
        if (!ctx.State.Leases.ContainsKey(key))
        {
            throw ChainErrors.UnknownLease.Fail();
        }

        if (ctx.State.Payments.TryGetValue(PaymentKey(key), out var payment))
        {
            EscrowKeeper.Settle(ctx.State, ctx.State.EscrowAccounts[payment.AccountKey]);
            EscrowKeeper.Withdraw(ctx.State, payment);
        }
    }

    private static void ClosePayment(ChainState state, BidKey key)
    {
        if (state.Payments.TryGetValue(PaymentKey(key), out var payment) && payment.State == EscrowState.Open)
        {
            EscrowKeeper.ClosePayment(state, payment);
        }
    }

    private static string PaymentKey(BidKey key) =>
        $"{EscrowAccountRecord.AccountKey(Scope.Deployment, key.Order.Group.Deployment.ToString())}|{key.PaymentXid}";
}
