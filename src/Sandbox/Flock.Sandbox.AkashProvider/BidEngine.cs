using System.Globalization;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.AkashProvider;

/// <summary>
/// The provider's chain side, one tick per poll (provider-services bidengine/order.go and manifest/watchdog.go): bid on
/// matching open orders it has capacity for, close its own bid after the bid timeout (reason unspecified), notice leases
/// won and closed, and close a lease whose manifest did not come within the manifest timeout (MsgCloseBid, reason
/// manifest_timeout 10003). Only the engine's loop touches its order table.
/// <para>
/// Each order is handled once, as by the real engine (akash-network/provider bidengine/service.go): one order manager
/// per EventOrderCreated, or per open order listed once at start (the catch-up of ordersFetcher), dropped from
/// s.orders when it finishes and never created again for that order; order.go run() bids at most once and, on the
/// bid timeout (cmd flags.go --bid-timeout, 5m), sends MsgCloseBid with LeaseClosedReasonUnspecified and ends. The
/// chain never expires orders or bids on its own (akash-network/node x/market module.go EndBlock does nothing) and
/// refuses a second bid from the same provider on an order (keeper CreateBid: ErrBidExists). So an order nobody
/// leased within the bid timeout stays open with only closed bids. Here the order table is that memory: a key seen
/// once is never evaluated again, whatever became of its bid.
/// </para>
/// </summary>
internal sealed partial class BidEngine(ProviderContext p)
{
    private readonly Dictionary<string, OrderRecord> _orders = new(StringComparer.Ordinal);
    private Coin? _deposit;

    private enum Phase
    {
        Declined,
        Bid,
        Won,
        Done,
    }

    private sealed class OrderRecord(Order order)
    {
        public Order Order { get; } = order;

        public Phase Phase { get; set; } = Phase.Declined;

        public DateTimeOffset BidAt { get; set; }
    }

    /// <summary>Orders with a bid waiting for the owner.</summary>
    public int OpenBids => _orders.Values.Count(o => o.Phase == Phase.Bid);

    public async Task TickAsync(CancellationToken cancellationToken)
    {
        await ScanOrdersAsync(cancellationToken).ConfigureAwait(false);
        await FollowBidsAsync(cancellationToken).ConfigureAwait(false);
        await FollowLeasesAsync(cancellationToken).ConfigureAwait(false);
        p.BidEngineOrders = OpenBids;
    }

    /// <summary>MsgCloseBid on an active lease: the provider walks away; the chain closes the lease and pauses the group.</summary>
    public async Task CloseLeaseAsync(LeaseID lease, LeaseClosedReason reason, CancellationToken cancellationToken)
    {
        p.Leases.MarkClosing(LeaseBook.KeyOf(lease.Owner, lease.Dseq, lease.Gseq, lease.Oseq));
        await p.Submitter.SubmitAsync(p.Wallet, [CloseBid(lease.Owner, lease.Dseq, lease.Gseq, lease.Oseq, reason)], cancellationToken: cancellationToken).ConfigureAwait(false);
        p.Counters.LeaseClosedByProvider();
    }

    private async Task ScanOrdersAsync(CancellationToken cancellationToken)
    {
        var open = await p.Chain.ListOrdersByStateAsync("open", cancellationToken).ConfigureAwait(false);
        foreach (var order in open)
        {
            var key = LeaseBook.KeyOf(order.Id.Owner, order.Id.Dseq, order.Id.Gseq, order.Id.Oseq);
            if (_orders.ContainsKey(key) || order.Id.Owner == p.Address)
            {
                continue;
            }

            var record = new OrderRecord(order);
            _orders[key] = record;
            if (await ShouldBidAsync(order, key, cancellationToken).ConfigureAwait(false) is not { } price)
            {
                p.Counters.OrderDeclined();
                continue;
            }

            try
            {
                await p.Submitter.SubmitAsync(p.Wallet, [await BidAsync(order, price, cancellationToken).ConfigureAwait(false)], cancellationToken: cancellationToken).ConfigureAwait(false);
                record.Phase = Phase.Bid;
                record.BidAt = p.Time.GetUtcNow();
                p.Counters.BidSent();
                Log.BidPlaced(p.Logger, p.Options.Name, key, price, null);
            }
            catch (AkashChainException e)
            {
                p.Inventory.Release(key);
                p.Counters.BidFailed();
                Log.BidRefused(p.Logger, p.Options.Name, key, e.Message, null);
            }
        }
    }

    /// <summary>The price to bid, or null to decline (NeverBid, attributes, capacity, price above the order's maximum).</summary>
    private async Task<decimal?> ShouldBidAsync(Order order, string key, CancellationToken cancellationToken)
    {
        if (p.Faults.NeverBid)
        {
            return null;
        }

        var signedBy = order.Spec.Requirements?.SignedBy;
        var audits = signedBy is { } s && (s.AllOf.Count > 0 || s.AnyOf.Count > 0)
            ? await p.Chain.GetAuditedAttributesAsync(p.Address, cancellationToken: cancellationToken).ConfigureAwait(false)
            : [];
        if (!OrderMatcher.Matches(order.Spec, p.Attributes, audits) || !p.Inventory.TryReserve(key, order.Spec))
        {
            return null;
        }

        var max = MaxPrice(order);
        var price = p.Options.Pricing.PriceFor(order, max);
        if (price is not { } bid || bid <= 0 || bid > max)
        {
            p.Inventory.Release(key);
            return null;
        }

        return bid;
    }

    /// <summary>A bid placed by hand (a test choosing its moment and price), signed like the engine's own.</summary>
    public async Task BidByHandAsync(Order order, decimal price, CancellationToken cancellationToken)
    {
        await p.Submitter.SubmitAsync(p.Wallet, [await BidAsync(order, price, cancellationToken).ConfigureAwait(false)], cancellationToken: cancellationToken).ConfigureAwait(false);
        p.Counters.BidSent();
    }

    private async Task<MsgCreateBid> BidAsync(Order order, decimal price, CancellationToken cancellationToken)
    {
        if (_deposit is null)
        {
            // The chain's minimum bid deposit (market params), in uakt as provider-services' default --bid-deposit.
            var minimums = (await p.Chain.GetMarketParamsAsync(cancellationToken).ConfigureAwait(false)).BidMinDeposits;
            _deposit = (minimums.FirstOrDefault(c => c.Denom == AkashNetwork.Uakt) ?? minimums.FirstOrDefault() ?? AkashMessages.Coin(500_000, AkashNetwork.Uakt)).Clone();
        }

        var msg = new MsgCreateBid
        {
            Id = new BidID { Owner = order.Id.Owner, Dseq = order.Id.Dseq, Gseq = order.Id.Gseq, Oseq = order.Id.Oseq, Provider = p.Address },
            Price = new DecCoin { Denom = order.Spec.Resources[0].Price.Denom, Amount = LegacyDec.ToWire(price.ToString("0.##################", CultureInfo.InvariantCulture)) },
            Deposit = new Deposit { Amount = _deposit.Clone(), Sources = { Source.Balance } },
        };
        msg.ResourcesOffer.AddRange(order.Spec.Resources.Select(u => new ResourceOffer { Resources = u.Resource.Clone(), Count = u.Count }));
        return msg;
    }

    /// <summary>GroupSpec.Price(): the sum over resource units of price × count, in whole units of the denom.</summary>
    internal static decimal MaxPrice(Order order) =>
        order.Spec.Resources.Sum(u => decimal.Parse(LegacyDec.FromWire(u.Price.Amount), NumberStyles.Float, CultureInfo.InvariantCulture) * u.Count);

    private MsgCloseBid CloseBid(string owner, ulong dseq, uint gseq, uint oseq, LeaseClosedReason reason) => new()
    {
        Id = new BidID { Owner = owner, Dseq = dseq, Gseq = gseq, Oseq = oseq, Provider = p.Address },
        Reason = reason,
    };
}
