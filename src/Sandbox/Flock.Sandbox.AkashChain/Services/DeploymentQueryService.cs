using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Sandbox.AkashChain.State;
using Grpc.Core;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>akash.deployment.v1beta4.Query: deployments with their groups and escrow account; params.</summary>
internal sealed class DeploymentQueryService(ChainCore chain) : Query.QueryBase
{
    public override Task<QueryDeploymentResponse> Deployment(QueryDeploymentRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var key = new DeploymentKey(request.Id?.Owner ?? string.Empty, request.Id?.Dseq ?? 0);
            return s.Deployments.ContainsKey(key) ? View(s, key) : throw new RpcException(new Status(StatusCode.NotFound, "deployment not found"));
        }));

    public override Task<QueryDeploymentsResponse> Deployments(QueryDeploymentsRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var f = request.Filters ?? new DeploymentFilters();
            var response = new QueryDeploymentsResponse();
            response.Deployments.AddRange(s.Deployments
                .Where(d => (f.Owner.Length == 0 || d.Key.Owner == f.Owner) && (f.Dseq == 0 || d.Key.Dseq == f.Dseq)
                    && StateFilter.Matches(d.Value.State, f.State))
                .OrderBy(d => d.Key.Owner, StringComparer.Ordinal).ThenBy(d => d.Key.Dseq)
                .Select(d => View(s, d.Key)));
            response.Pagination = new PageResponse { Total = (ulong)response.Deployments.Count };
            return response;
        }));

    public override Task<QueryGroupResponse> Group(QueryGroupRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
            s.Groups.TryGetValue(new GroupKey(request.Id?.Owner ?? string.Empty, request.Id?.Dseq ?? 0, request.Id?.Gseq ?? 0), out var g)
                ? new QueryGroupResponse { Group = g.Clone() }
                : throw new RpcException(new Status(StatusCode.NotFound, "group not found"))));

    public override Task<QueryParamsResponse> Params(QueryParamsRequest request, ServerCallContext context)
    {
        var min = chain.Options.DeploymentMinDeposit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Task.FromResult(new QueryParamsResponse
        {
            Params = new Params { MinDeposits = { new Coin { Denom = "uact", Amount = min }, new Coin { Denom = "uakt", Amount = min } } },
        });
    }

    private static QueryDeploymentResponse View(ChainState s, DeploymentKey key)
    {
        var response = new QueryDeploymentResponse { Deployment = s.Deployments[key].Clone() };
        response.Groups.AddRange(s.Groups.Where(g => g.Key.Deployment == key).OrderBy(g => g.Key.Gseq).Select(g => g.Value.Clone()));
        if (s.EscrowAccounts.TryGetValue(EscrowAccountRecord.AccountKey(Scope.Deployment, key.ToString()), out var account))
        {
            response.EscrowAccount = EscrowViews.ToProto(account);
        }

        return response;
    }
}
