using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.ProviderV1Beta4;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>akash.provider.v1beta4.Query over the providers registered in-process.</summary>
internal sealed class ProviderQueryService(ChainCore chain) : Flock.Akash.Protos.ProviderV1Beta4.Query.QueryBase
{
    public override Task<QueryProviderResponse> Provider(QueryProviderRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s => s.Providers.TryGetValue(request.Owner, out var p)
            ? new QueryProviderResponse { Provider = p.Clone() }
            : throw new RpcException(new Status(StatusCode.NotFound, $"invalid provider: {request.Owner}: provider not found"))));

    public override Task<QueryProvidersResponse> Providers(QueryProvidersRequest request, ServerCallContext context) =>
        Task.FromResult(chain.Read(s =>
        {
            var response = new QueryProvidersResponse();
            response.Providers.AddRange(s.Providers.Values.Select(p => p.Clone()));
            response.Pagination = new PageResponse { Total = (ulong)response.Providers.Count };
            return response;
        }));
}
