using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain.State;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>
/// The escrow hooks of node x/market/hooks/hooks.go: a closed or overdrawn payment closes its lease, bid and order;
/// a closed or overdrawn deployment account closes the deployment and its groups (insufficient_funds when overdrawn).
/// </summary>
internal static class Hooks
{
    public static void OnPaymentClosed(ChainState state, EscrowPaymentRecord payment)
    {
        var id = payment.Lease;
        if (!state.Bids.TryGetValue(id, out var bid) || bid.State != Bid.Types.State.Active)
        {
            return;
        }

        if (state.Orders.TryGetValue(id.Order, out var order))
        {
            order.State = Order.Types.State.Closed;
        }

        Market.CloseBid(state, id, bid);
        if (state.Leases.TryGetValue(id, out var lease) && lease.State == Lease.Types.State.Active)
        {
            var overdrawn = payment.State == EscrowState.Overdrawn;
            Market.CloseLease(state, lease,
                overdrawn ? Lease.Types.State.InsufficientFunds : Lease.Types.State.Closed,
                overdrawn ? LeaseClosedReason.InsufficientFunds : LeaseClosedReason.Unspecified);
        }
    }

    public static void OnAccountClosed(ChainState state, EscrowAccountRecord account)
    {
        if (account.Scope != Scope.Deployment)
        {
            return;
        }

        var key = ParseDeploymentXid(account.Xid);
        if (key is null || !state.Deployments.TryGetValue(key.Value, out var deployment) || deployment.State != Deployment.Types.State.Active)
        {
            return;
        }

        deployment.State = Deployment.Types.State.Closed;
        var groupState = account.State == EscrowState.Overdrawn ? Group.Types.State.InsufficientFunds : Group.Types.State.Closed;
        foreach (var (groupKey, group) in state.Groups.Where(g => g.Key.Deployment == key.Value).ToList())
        {
            if (group.State != Group.Types.State.Closed)
            {
                group.State = groupState;
                Market.OnGroupClosed(state, groupKey, groupState);
            }
        }
    }

    public static DeploymentKey? ParseDeploymentXid(string xid)
    {
        var slash = xid.LastIndexOf('/');
        if (slash <= 0 || !ulong.TryParse(xid.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var dseq))
        {
            return null;
        }

        return new DeploymentKey(xid[..slash], dseq);
    }
}
