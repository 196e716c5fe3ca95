using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.EscrowV1;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>akash.escrow.v1.Query: accounts and payments filtered by state and xid (prefix, so "owner/dseq" finds a deployment's).</summary>
internal sealed class EscrowQueryService(ChainCore chain) : Flock.Akash.Protos.EscrowV1.Query.QueryBase
{
    public override Task<QueryAccountsResponse> Accounts(QueryAccountsRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var response = new QueryAccountsResponse();
            response.Accounts.AddRange(s.EscrowAccounts.Values
                .Where(a => a.Xid.StartsWith(request.Xid, StringComparison.Ordinal) && StateFilter.Matches(a.State, request.State))
                .OrderBy(a => a.Key, StringComparer.Ordinal).Select(EscrowViews.ToProto));
            response.Pagination = new PageResponse { Total = (ulong)response.Accounts.Count };
            return response;
        }));

    public override Task<QueryPaymentsResponse> Payments(QueryPaymentsRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var response = new QueryPaymentsResponse();
            response.Payments.AddRange(s.Payments.Values
                .Where(p => (s.EscrowAccounts[p.AccountKey].Xid + "/" + p.Xid).StartsWith(request.Xid, StringComparison.Ordinal) && StateFilter.Matches(p.State, request.State))
                .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => EscrowViews.ToProto(s, p)));
            response.Pagination = new PageResponse { Total = (ulong)response.Payments.Count };
            return response;
        }));
}
