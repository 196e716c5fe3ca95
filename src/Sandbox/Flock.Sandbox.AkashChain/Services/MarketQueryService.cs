using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain.Modules;
using Flock.Sandbox.AkashChain.State;
using Grpc.Core;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>akash.market.v1beta5.Query: orders, bids (with their escrow), leases (with their payment), params.</summary>
internal sealed class MarketQueryService(ChainCore chain) : Query.QueryBase
{
    public override Task<QueryOrdersResponse> Orders(QueryOrdersRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var f = request.Filters ?? new OrderFilters();
            var response = new QueryOrdersResponse();
            response.Orders.AddRange(s.Orders
                .Where(o => (f.Owner.Length == 0 || o.Key.Owner == f.Owner) && (f.Dseq == 0 || o.Key.Dseq == f.Dseq) && (f.Gseq == 0 || o.Key.Gseq == f.Gseq)
                    && (f.Oseq == 0 || o.Key.Oseq == f.Oseq) && StateFilter.Matches(o.Value.State, f.State))
                .OrderBy(o => o.Key.Owner, StringComparer.Ordinal).ThenBy(o => o.Key.Dseq).ThenBy(o => o.Key.Gseq).ThenBy(o => o.Key.Oseq)
                .Select(o => o.Value.Clone()));
            response.Pagination = new PageResponse { Total = (ulong)response.Orders.Count };
            return response;
        }));

    public override Task<QueryOrderResponse> Order(QueryOrderRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var id = request.Id ?? new Flock.Akash.Protos.MarketV1.OrderID();
            return s.Orders.TryGetValue(new OrderKey(id.Owner, id.Dseq, id.Gseq, id.Oseq), out var order)
                ? new QueryOrderResponse { Order = order.Clone() }
                : throw new RpcException(new Status(StatusCode.NotFound, "order not found"));
        }));

    public override Task<QueryBidsResponse> Bids(QueryBidsRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var f = request.Filters ?? new BidFilters();
            var response = new QueryBidsResponse();
            response.Bids.AddRange(s.Bids
                .Where(b => (f.Owner.Length == 0 || b.Key.Owner == f.Owner) && (f.Dseq == 0 || b.Key.Dseq == f.Dseq) && (f.Gseq == 0 || b.Key.Gseq == f.Gseq)
                    && (f.Oseq == 0 || b.Key.Oseq == f.Oseq) && (f.Provider.Length == 0 || b.Key.Provider == f.Provider) && StateFilter.Matches(b.Value.State, f.State))
                .OrderBy(b => b.Key.ToString(), StringComparer.Ordinal)
                .Select(b => BidView(s, b.Key)));
            response.Pagination = new PageResponse { Total = (ulong)response.Bids.Count };
            return response;
        }));

    public override Task<QueryBidResponse> Bid(QueryBidRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var key = Market.KeyOf(request.Id ?? new Flock.Akash.Protos.MarketV1.BidID());
            return s.Bids.ContainsKey(key) ? BidView(s, key) : throw new RpcException(new Status(StatusCode.NotFound, "bid not found"));
        }));

    public override Task<QueryLeasesResponse> Leases(QueryLeasesRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var f = request.Filters ?? new Flock.Akash.Protos.MarketV1.LeaseFilters();
            var response = new QueryLeasesResponse();
            response.Leases.AddRange(s.Leases
                .Where(l => (f.Owner.Length == 0 || l.Key.Owner == f.Owner) && (f.Dseq == 0 || l.Key.Dseq == f.Dseq) && (f.Gseq == 0 || l.Key.Gseq == f.Gseq)
                    && (f.Oseq == 0 || l.Key.Oseq == f.Oseq) && (f.Provider.Length == 0 || l.Key.Provider == f.Provider) && StateFilter.Matches(l.Value.State, f.State))
                .OrderBy(l => l.Key.ToString(), StringComparer.Ordinal)
                .Select(l => LeaseView(s, l.Key)));
            response.Pagination = new PageResponse { Total = (ulong)response.Leases.Count };
            return response;
        }));

    public override Task<QueryLeaseResponse> Lease(QueryLeaseRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var key = Market.KeyOf(request.Id ?? new Flock.Akash.Protos.MarketV1.LeaseID());
            return s.Leases.ContainsKey(key) ? LeaseView(s, key) : throw new RpcException(new Status(StatusCode.NotFound, "lease not found"));
        }));

    public override Task<QueryParamsResponse> Params(QueryParamsRequest request, ServerCallContext context)
    {
        var min = chain.Options.BidMinDeposit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult(new QueryParamsResponse
        {
            Params = new Params
            {
                BidMinDeposit = new Coin { Denom = "uakt", Amount = min },
                OrderMaxBids = chain.Options.OrderMaxBids,
                BidMinDeposits = { new Coin { Denom = "uact", Amount = min }, new Coin { Denom = "uakt", Amount = min } },
            },
        });
    }

    private static QueryBidResponse BidView(ChainState s, BidKey key)
    {
        var response = new QueryBidResponse { Bid = s.Bids[key].Clone() };
        if (s.EscrowAccounts.TryGetValue(EscrowAccountRecord.AccountKey(Scope.Bid, key.ToString()), out var account))
        {
            response.EscrowAccount = EscrowViews.ToProto(account);
        }

        return response;
    }

    private static QueryLeaseResponse LeaseView(ChainState s, BidKey key)
    {
        var response = new QueryLeaseResponse { Lease = s.Leases[key].Clone() };
        var paymentKey = $"{EscrowAccountRecord.AccountKey(Scope.Deployment, key.Order.Group.Deployment.ToString())}|{key.PaymentXid}";
        if (s.Payments.TryGetValue(paymentKey, out var payment))
        {
            response.EscrowPayment = EscrowViews.ToProto(s, payment);
        }

        return response;
    }
}
