using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain.State;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>Market keeper state transitions shared by the message handlers and the escrow hooks (node x/market/keeper).</summary>
internal static class Market
{
    public static Order CreateOrder(ChainState state, GroupKey group, GroupSpec spec)
    {
        // oseq starts at 1 and grows each time the group gets a new order (after a lease closes).
        var oseq = state.Orders.Keys.Where(k => k.Group == group).Select(k => k.Oseq).DefaultIfEmpty(0u).Max() + 1;
        var key = new OrderKey(group.Owner, group.Dseq, group.Gseq, oseq);
        var order = new Order
        {
            Id = new OrderID { Owner = key.Owner, Dseq = key.Dseq, Gseq = key.Gseq, Oseq = key.Oseq },
            State = Order.Types.State.Open,
            Spec = spec.Clone(),
            CreatedAt = state.Height,
        };
        state.Orders[key] = order;
        return order;
    }

    /// <summary>Closes a bid and returns its deposit (the bid escrow account closes).</summary>
    public static void CloseBid(ChainState state, BidKey key, Bid bid, Bid.Types.State to = Bid.Types.State.Closed)
    {
        bid.State = to;
        if (state.EscrowAccounts.TryGetValue(EscrowAccountRecord.AccountKey(Scope.Bid, key.ToString()), out var account) && account.State == EscrowState.Open)
        {
            EscrowKeeper.CloseAccount(state, account);
        }
    }

    public static void CloseLease(ChainState state, Lease lease, Lease.Types.State to, LeaseClosedReason reason)
    {
        lease.State = to;
        lease.Reason = reason;
        lease.ClosedOn = state.Height;
    }

    /// <summary>A group stopped (closed, paused or out of funds): its orders close, bids close, leases end and payments close.</summary>
    public static void OnGroupClosed(ChainState state, GroupKey group, Group.Types.State groupState)
    {
        var leaseState = groupState == Group.Types.State.InsufficientFunds ? Lease.Types.State.InsufficientFunds : Lease.Types.State.Closed;
        var reason = groupState == Group.Types.State.InsufficientFunds ? LeaseClosedReason.InsufficientFunds : LeaseClosedReason.LeaseClosedOwner;
        foreach (var (orderKey, order) in state.Orders.Where(o => o.Key.Group == group && o.Value.State != Order.Types.State.Closed).ToList())
        {
            order.State = Order.Types.State.Closed;
            foreach (var (bidKey, bid) in state.Bids.Where(b => b.Key.Order == orderKey && b.Value.State is Bid.Types.State.Open or Bid.Types.State.Active).ToList())
            {
                CloseBid(state, bidKey, bid);
                if (state.Leases.TryGetValue(bidKey, out var lease) && lease.State == Lease.Types.State.Active)
                {
                    CloseLease(state, lease, leaseState, reason);
                    var paymentKey = $"{EscrowAccountRecord.AccountKey(Scope.Deployment, group.Deployment.ToString())}|{bidKey.PaymentXid}";
                    if (state.Payments.TryGetValue(paymentKey, out var payment))
                    {
                        EscrowKeeper.ClosePayment(state, payment);
                    }
                }
            }
        }
    }

    public static BidKey KeyOf(BidID id) => new(id.Owner, id.Dseq, id.Gseq, id.Oseq, id.Provider, id.Bseq);

    public static BidKey KeyOf(LeaseID id) => new(id.Owner, id.Dseq, id.Gseq, id.Oseq, id.Provider, id.Bseq);
}
