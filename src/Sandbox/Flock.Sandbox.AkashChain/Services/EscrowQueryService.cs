using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.EscrowV1;
using Flock.Sandbox.AkashChain.State;
using Grpc.Core;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>
/// akash.escrow.v1.Query: accounts and payments filtered by state and xid. The node's keeper scans its store keys
/// "scope/xid" by prefix, so an xid filter that starts with the scope ("deployment/owner", "deployment/owner/1") matches
/// by prefix here too ("deployment/owner/1" also finds "deployment/owner/12", as on chain). A filter without the scope
/// ("owner/1") matches no key on the node; here it matches the account xid exactly (a deliberate difference).
/// </summary>
internal sealed class EscrowQueryService(ChainCore chain) : Flock.Akash.Protos.EscrowV1.Query.QueryBase
{
    public override Task<QueryAccountsResponse> Accounts(QueryAccountsRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var response = new QueryAccountsResponse();
            response.Accounts.AddRange(s.EscrowAccounts.Values
                .Where(a => XidFilter.MatchesAccount(a.Scope, a.Xid, request.Xid) && StateFilter.Matches(a.State, request.State))
                .OrderBy(a => a.Key, StringComparer.Ordinal).Select(EscrowViews.ToProto));
            response.Pagination = new PageResponse { Total = (ulong)response.Accounts.Count };
            return response;
        }));

    public override Task<QueryPaymentsResponse> Payments(QueryPaymentsRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var response = new QueryPaymentsResponse();
            response.Payments.AddRange(s.Payments.Values
                .Where(p => XidFilter.MatchesPayment(s.EscrowAccounts[p.AccountKey], p.Xid, request.Xid) && StateFilter.Matches(p.State, request.State))
                .OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => EscrowViews.ToProto(s, p)));
            response.Pagination = new PageResponse { Total = (ulong)response.Payments.Count };
            return response;
        }));
}

/// <summary>The escrow xid filters (see <see cref="EscrowQueryService"/>).</summary>
internal static class XidFilter
{
    /// <summary>An account filter: by key prefix when it names the scope, else the exact account xid.</summary>
    public static bool MatchesAccount(Scope scope, string xid, string filter) =>
        filter.Length == 0 || (IsScoped(filter) ? Key(scope, xid).StartsWith(filter, StringComparison.Ordinal) : xid == filter);

    /// <summary>A payment filter: by key prefix ("scope/account xid/payment xid") when it names the scope, else by prefix of "account xid/payment xid".</summary>
    public static bool MatchesPayment(EscrowAccountRecord account, string paymentXid, string filter) =>
        filter.Length == 0 || (IsScoped(filter)
            ? $"{Key(account.Scope, account.Xid)}/{paymentXid}".StartsWith(filter, StringComparison.Ordinal)
            : $"{account.Xid}/{paymentXid}".StartsWith(filter, StringComparison.Ordinal));

    /// <summary>The node's store key after the state byte: escrow id v1 Account.Key() = "scope name/xid".</summary>
    private static string Key(Scope scope, string xid) => $"{ScopeName(scope)}/{xid}";

    private static string ScopeName(Scope scope) => scope.ToString().ToLowerInvariant();

    private static bool IsScoped(string filter) =>
        filter.StartsWith(ScopeName(Scope.Deployment), StringComparison.Ordinal) || filter.StartsWith(ScopeName(Scope.Bid), StringComparison.Ordinal);
}
