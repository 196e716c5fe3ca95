using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using MarketParams = Flock.Akash.Protos.MarketV1Beta5.Params;
using MarketParamsRequest = Flock.Akash.Protos.MarketV1Beta5.QueryParamsRequest;

namespace Flock.Akash.Client;

/// <summary>Market queries across owners: what a provider's bid engine reads (open orders, its own bids and leases, params).</summary>
public sealed partial class AkashChainClient
{
    /// <summary>Market params: bid minimum deposits and the per-order bid limit.</summary>
    public async Task<MarketParams> GetMarketParamsAsync(CancellationToken cancellationToken = default)
    {
        var response = await RpcErrors.CallAsync("market/Params", async () =>
            await _market.ParamsAsync(new MarketParamsRequest(), Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return response.Params ?? new MarketParams();
    }

    /// <summary>Orders of every owner in one state ("open" is what a bid engine scans).</summary>
    public Task<IReadOnlyList<Order>> ListOrdersByStateAsync(string state, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(state);
        return PagedAsync("market/Orders",
            async page => await _market.OrdersAsync(new QueryOrdersRequest { Filters = new OrderFilters { State = state }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Orders, r => r.Pagination, cancellationToken);
    }

    /// <summary>A provider's bids on every owner's orders, optionally in one state.</summary>
    public Task<IReadOnlyList<QueryBidResponse>> ListProviderBidsAsync(string provider, string state = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return PagedAsync("market/Bids",
            async page => await _market.BidsAsync(new QueryBidsRequest { Filters = new BidFilters { Provider = provider, State = state ?? string.Empty }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Bids, r => r.Pagination, cancellationToken);
    }

    /// <summary>A provider's leases, optionally in one state.</summary>
    public Task<IReadOnlyList<QueryLeaseResponse>> ListProviderLeasesAsync(string provider, string state = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return PagedAsync("market/Leases",
            async page => await _market.LeasesAsync(new QueryLeasesRequest { Filters = new LeaseFilters { Provider = provider, State = state ?? string.Empty }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Leases, r => r.Pagination, cancellationToken);
    }
}
