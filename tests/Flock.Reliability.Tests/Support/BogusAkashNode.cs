using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using DeploymentQuery = Flock.Akash.Protos.DeploymentV1Beta4;

namespace Flock.Reliability.Tests.Support;

/// <summary>
/// An Akash node that answers whatever a test scripts: the same gRPC services and field numbers as a real node
/// (our generated server stubs, h2c on loopback), with answers no honest node gives. Each answer is a function of the
/// request so a test can also answer by page or by address; an unset answer is Unimplemented.
/// </summary>
public sealed class BogusAkashNode : IAsyncDisposable
{
    private WebApplication? _app;

    public Uri Url { get; private set; } = null!;

    public Func<QueryBalanceRequest, QueryBalanceResponse>? Balance { get; set; }

    public Func<QueryAccountRequest, QueryAccountResponse>? Account { get; set; }

    public Func<QueryAccountInfoRequest, QueryAccountInfoResponse>? AccountInfo { get; set; }

    public Func<QueryAccountsRequest, QueryAccountsResponse>? EscrowAccounts { get; set; }

    public Func<QueryLeasesRequest, QueryLeasesResponse>? Leases { get; set; }

    public Func<DeploymentQuery.QueryDeploymentRequest, DeploymentQuery.QueryDeploymentResponse>? Deployment { get; set; }

    /// <summary>Raw bytes of cosmos.base.tendermint.v1beta1.Service/GetLatestBlock's answer (no schema: anything goes).</summary>
    public Func<byte[]>? LatestBlock { get; set; }

    /// <summary>The x-cosmos-block-height header on deployment Params answers; null leaves it out.</summary>
    public string? HeightHeader { get; set; }

    /// <summary>Every call first waits this long (a hung node).</summary>
    public TimeSpan Delay { get; set; }

    public void Reset()
    {
        Balance = null;
        Account = null;
        AccountInfo = null;
        EscrowAccounts = null;
        Leases = null;
        Deployment = null;
        LatestBlock = null;
        HeightHeader = null;
        Delay = TimeSpan.Zero;
    }

    public static async Task<BogusAkashNode> StartAsync()
    {
        var node = new BogusAkashNode();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(node);
        var app = builder.Build();
        app.MapGrpcService<Bank>();
        app.MapGrpcService<Auth>();
        app.MapGrpcService<Escrow>();
        app.MapGrpcService<Market>();
        app.MapGrpcService<Deployments>();
        app.MapGrpcService<Tendermint>();
        await app.StartAsync();
        node.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        node._app = app;
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private async Task<TResponse> AnswerAsync<TRequest, TResponse>(Func<TRequest, TResponse>? answer, TRequest request, ServerCallContext context)
    {
        if (Delay > TimeSpan.Zero) await Task.Delay(Delay, context.CancellationToken);
        return answer is null ? throw new RpcException(new Status(StatusCode.Unimplemented, "not scripted")) : answer(request);
    }

    private sealed class Bank(BogusAkashNode node) : Flock.Akash.Protos.CosmosBankV1Beta1.Query.QueryBase
    {
        public override Task<QueryBalanceResponse> Balance(QueryBalanceRequest request, ServerCallContext context) => node.AnswerAsync(node.Balance, request, context);
    }

    private sealed class Auth(BogusAkashNode node) : Flock.Akash.Protos.CosmosAuthV1Beta1.Query.QueryBase
    {
        public override Task<QueryAccountResponse> Account(QueryAccountRequest request, ServerCallContext context) => node.AnswerAsync(node.Account, request, context);

        public override Task<QueryAccountInfoResponse> AccountInfo(QueryAccountInfoRequest request, ServerCallContext context) => node.AnswerAsync(node.AccountInfo, request, context);
    }

    private sealed class Escrow(BogusAkashNode node) : Flock.Akash.Protos.EscrowV1.Query.QueryBase
    {
        public override Task<QueryAccountsResponse> Accounts(QueryAccountsRequest request, ServerCallContext context) => node.AnswerAsync(node.EscrowAccounts, request, context);
    }

    private sealed class Market(BogusAkashNode node) : Flock.Akash.Protos.MarketV1Beta5.Query.QueryBase
    {
        public override Task<QueryLeasesResponse> Leases(QueryLeasesRequest request, ServerCallContext context) => node.AnswerAsync(node.Leases, request, context);
    }

    private sealed class Deployments(BogusAkashNode node) : DeploymentQuery.Query.QueryBase
    {
        public override Task<DeploymentQuery.QueryDeploymentResponse> Deployment(DeploymentQuery.QueryDeploymentRequest request, ServerCallContext context) =>
            node.AnswerAsync(node.Deployment, request, context);

        public override async Task<DeploymentQuery.QueryParamsResponse> Params(DeploymentQuery.QueryParamsRequest request, ServerCallContext context)
        {
            if (node.HeightHeader is { } height) await context.WriteResponseHeadersAsync(new Metadata { { "x-cosmos-block-height", height } });
            return new DeploymentQuery.QueryParamsResponse { Params = new DeploymentQuery.Params() };
        }
    }

    /// <summary>
    /// GetLatestBlock with a bytes marshaller, so the answer can be any bytes at all. Shaped like generated code: ASP.NET
    /// Core's binder wants a base type carrying BindServiceMethod and a virtual method the service overrides.
    /// </summary>
    [BindServiceMethod(typeof(TendermintBase), nameof(BindService))]
    public abstract class TendermintBase
    {
        private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

        private static readonly Method<byte[], byte[]> GetLatestBlockMethod =
            new(MethodType.Unary, "cosmos.base.tendermint.v1beta1.Service", "GetLatestBlock", Bytes, Bytes);

        public static void BindService(ServiceBinderBase binder, TendermintBase? service) =>
            binder.AddMethod(GetLatestBlockMethod, service is null ? null! : service.GetLatestBlock);

        public virtual Task<byte[]> GetLatestBlock(byte[] request, ServerCallContext context) =>
            throw new RpcException(new Status(StatusCode.Unimplemented, "not scripted"));
    }

    private sealed class Tendermint(BogusAkashNode node) : TendermintBase
    {
        public override Task<byte[]> GetLatestBlock(byte[] request, ServerCallContext context) =>
            node.AnswerAsync(_ => node.LatestBlock is { } f ? f() : throw new RpcException(new Status(StatusCode.Unimplemented, "not scripted")), request, context);
    }
}
