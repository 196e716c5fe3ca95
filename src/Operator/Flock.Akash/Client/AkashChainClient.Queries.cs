using System.Globalization;
using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Akash.Protos.ProviderV1Beta4;
using Google.Protobuf;
using Grpc.Core;
using DeploymentParams = Flock.Akash.Protos.DeploymentV1Beta4.Params;
using DeploymentParamsRequest = Flock.Akash.Protos.DeploymentV1Beta4.QueryParamsRequest;
using EscrowAccount = Flock.Akash.Protos.EscrowTypesV1.Account;

namespace Flock.Akash.Client;

/// <summary>The Akash module queries the deployment lifecycle reads (deployment v1beta4, market v1beta5, escrow v1, provider v1beta4, audit v1).</summary>
public sealed partial class AkashChainClient
{
    /// <summary>Safety stop for list pagination: a node that keeps returning a next key must not loop a reconcile forever.</summary>
    private const int MaxPages = 100;

    /// <summary>A deployment with its groups and escrow account; null when the chain has none at owner/dseq.</summary>
    public async Task<QueryDeploymentResponse?> GetDeploymentAsync(string owner, ulong dseq, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        try
        {
            return await RpcErrors.CallAsync("deployment/Deployment", async () =>
                await _deployments.DeploymentAsync(new QueryDeploymentRequest { Id = new DeploymentID { Owner = owner, Dseq = dseq } }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>All deployments of an owner, optionally in one state ("active", "closed").</summary>
    public Task<IReadOnlyList<QueryDeploymentResponse>> ListDeploymentsAsync(string owner, string state = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentNullException.ThrowIfNull(state);
        return PagedAsync("deployment/Deployments",
            async page => await _deployments.DeploymentsAsync(new QueryDeploymentsRequest { Filters = new DeploymentFilters { Owner = owner, State = state }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Deployments, r => r.Pagination, cancellationToken);
    }

    /// <summary>Deployment module params: the minimum deposits per denom.</summary>
    public async Task<DeploymentParams> GetDeploymentParamsAsync(CancellationToken cancellationToken = default)
    {
        var response = await RpcErrors.CallAsync("deployment/Params", async () =>
            await _deployments.ParamsAsync(new DeploymentParamsRequest(), Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return response.Params ?? new DeploymentParams();
    }

    /// <summary>Orders of one deployment (every group).</summary>
    public Task<IReadOnlyList<Order>> ListOrdersAsync(string owner, ulong dseq, string state = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return PagedAsync("market/Orders",
            async page => await _market.OrdersAsync(new QueryOrdersRequest { Filters = new OrderFilters { Owner = owner, Dseq = dseq, State = state ?? string.Empty }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Orders, r => r.Pagination, cancellationToken);
    }

    /// <summary>Bids on one deployment's orders, optionally in one state ("open", "active", "lost", "closed").</summary>
    public Task<IReadOnlyList<QueryBidResponse>> ListBidsAsync(string owner, ulong dseq, string state = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return PagedAsync("market/Bids",
            async page => await _market.BidsAsync(new QueryBidsRequest { Filters = new BidFilters { Owner = owner, Dseq = dseq, State = state ?? string.Empty }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Bids, r => r.Pagination, cancellationToken);
    }

    /// <summary>Leases of one deployment with their escrow payments, optionally in one state ("active", "closed", …).</summary>
    public Task<IReadOnlyList<QueryLeaseResponse>> ListLeasesAsync(string owner, ulong dseq, string state = "", CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return PagedAsync("market/Leases",
            async page => await _market.LeasesAsync(new QueryLeasesRequest { Filters = new LeaseFilters { Owner = owner, Dseq = dseq, State = state ?? string.Empty }, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Leases, r => r.Pagination, cancellationToken);
    }

    /// <summary>
    /// The deployment's escrow account (id xid "owner/dseq"); null when there is none. The node keys accounts as
    /// "scope/xid" and filters by prefix ("deployment/owner/1" also finds "…/12"), so the exact id is picked here.
    /// </summary>
    public async Task<EscrowAccount?> GetDeploymentEscrowAsync(string owner, ulong dseq, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var xid = $"{owner}/{dseq.ToString(CultureInfo.InvariantCulture)}";
        var filter = "deployment/" + xid;
        var accounts = await PagedAsync("escrow/Accounts",
            async page => await _escrow.AccountsAsync(new QueryAccountsRequest { Xid = filter, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
            r => r.Accounts, r => r.Pagination, cancellationToken).ConfigureAwait(false);
        return accounts.FirstOrDefault(a => a.Id?.Scope == Protos.EscrowIdV1.Scope.Deployment && a.Id.Xid == xid);
    }

    /// <summary>A registered provider (host URI, attributes); null when the address is not a provider.</summary>
    public async Task<Provider?> GetProviderAsync(string owner, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        try
        {
            var response = await RpcErrors.CallAsync("provider/Provider", async () =>
                await _providers.ProviderAsync(new QueryProviderRequest { Owner = owner }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return response.Provider;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Attributes auditors signed for a provider (what placement signed_by checks); only one auditor's when given.</summary>
    public async Task<IReadOnlyList<AuditedProvider>> GetAuditedAttributesAsync(string provider, string? auditor = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        if (!string.IsNullOrEmpty(auditor))
        {
            try
            {
                var one = await RpcErrors.CallAsync("audit/ProviderAuditorAttributes", async () =>
                    await _audit.ProviderAuditorAttributesAsync(new QueryProviderAuditorRequest { Owner = provider, Auditor = auditor }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                return one.Providers.ToList();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return [];
            }
        }

        try
        {
            return await PagedAsync("audit/ProviderAttributes",
                async page => await _audit.ProviderAttributesAsync(new QueryProviderAttributesRequest { Owner = provider, Pagination = page }, Call(cancellationToken)).ConfigureAwait(false),
                r => r.Providers, r => r.Pagination, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return [];
        }
    }

    /// <summary>
    /// Follows next_key until the node has returned everything. Nodes cap pages (100 by default), and a reconcile
    /// that sees only the first page would think later leases or bids do not exist.
    /// </summary>
    private static async Task<IReadOnlyList<TItem>> PagedAsync<TResponse, TItem>(
        string what, Func<PageRequest, Task<TResponse>> call, Func<TResponse, IEnumerable<TItem>> items, Func<TResponse, PageResponse?> page, CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        var request = new PageRequest();
        for (var i = 0; i < MaxPages; i++)
        {
            var current = request;
            var response = await RpcErrors.CallAsync(what, () => call(current), cancellationToken).ConfigureAwait(false);
            all.AddRange(items(response));
            var next = page(response)?.NextKey;
            if (next is null || next.IsEmpty || next.Equals(request.Key))
            {
                return all;
            }

            request = new PageRequest { Key = ByteString.CopyFrom(next.Span) };
        }

        throw new AkashChainException($"Akash RPC {what} returned more than {MaxPages} pages; refusing to continue.");
    }
}
