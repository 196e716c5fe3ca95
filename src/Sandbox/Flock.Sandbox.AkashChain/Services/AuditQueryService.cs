using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>akash.audit.v1.Query over the audited attributes registered in-process.</summary>
internal sealed class AuditQueryService(ChainCore chain) : Flock.Akash.Protos.AuditV1.Query.QueryBase
{
    public override Task<QueryProvidersResponse> AllProvidersAttributes(QueryAllProvidersAttributesRequest request, ServerCallContext context) =>
        Task.FromResult(Select(_ => true));

    public override Task<QueryProvidersResponse> ProviderAttributes(QueryProviderAttributesRequest request, ServerCallContext context) =>
        Task.FromResult(Select(a => a.Owner == request.Owner));

    public override Task<QueryProvidersResponse> ProviderAuditorAttributes(QueryProviderAuditorRequest request, ServerCallContext context) =>
        Task.FromResult(Select(a => a.Owner == request.Owner && a.Auditor == request.Auditor));

    public override Task<QueryProvidersResponse> AuditorAttributes(QueryAuditorAttributesRequest request, ServerCallContext context) =>
        Task.FromResult(Select(a => a.Auditor == request.Auditor));

    private QueryProvidersResponse Select(Func<AuditedProvider, bool> filter) => chain.Read(s =>
    {
        var response = new QueryProvidersResponse();
        response.Providers.AddRange(s.Audits.Where(filter).Select(a => a.Clone()));
        response.Pagination = new PageResponse { Total = (ulong)response.Providers.Count };
        return response;
    });
}
