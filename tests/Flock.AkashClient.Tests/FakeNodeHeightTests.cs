using System.Globalization;
using Flock.Akash.Client;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using DeploymentQuery = Flock.Akash.Protos.DeploymentV1Beta4.Query;
using DeploymentParamsRequest = Flock.Akash.Protos.DeploymentV1Beta4.QueryParamsRequest;
using DeploymentParamsResponse = Flock.Akash.Protos.DeploymentV1Beta4.QueryParamsResponse;

namespace Flock.AkashClient.Tests;

/// <summary>
/// The simulator serves no height, so the two ways a real node does are checked against minimal fake nodes:
/// tendermint GetLatestBlock (the response encoded by hand, as a node's would be) and the x-cosmos-block-height header.
/// </summary>
public sealed class FakeNodeHeightTests
{
    [Fact]
    public async Task The_height_comes_from_get_latest_block_sdk_block_header()
    {
        // sdk_block (field 3) and the legacy tendermint block (field 2) both carry header.height; SDK ≥ 0.47 nodes fill both.
        var response = Concat(Field(2, Block(41)), Field(3, Block(42)));
        await using var node = await FakeNode.StartAsync(app => MapTendermint(app, response));
        using var client = new AkashChainClient(new AkashClientOptions(node.Url));
        Assert.Equal(42, await client.GetLatestBlockHeightAsync());
    }

    [Fact]
    public async Task An_older_node_with_only_the_tendermint_block_still_gives_its_height()
    {
        await using var node = await FakeNode.StartAsync(app => MapTendermint(app, Field(2, Block(7_654_321))));
        using var client = new AkashChainClient(new AkashClientOptions(node.Url));
        Assert.Equal(7_654_321, await client.GetLatestBlockHeightAsync());
    }

    [Fact]
    public async Task Without_the_tendermint_service_the_height_header_of_a_query_is_used()
    {
        await using var node = await FakeNode.StartAsync(app => app.MapGrpcService<HeightHeaderParams>());
        using var client = new AkashChainClient(new AkashClientOptions(node.Url));
        Assert.Equal(HeightHeaderParams.Height, await client.GetLatestBlockHeightAsync());
    }

    private static byte[] Block(long height) => Field(1, Varint(3, height)); // Block{header=1 Header{height=3}}

    private static byte[] Field(int number, byte[] message)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(number, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Varint(int number, long value)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        // A leading string field (chain_id=2) the reader must skip, as in a real header.
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString("akashnet-2");
        output.WriteTag(number, WireFormat.WireType.Varint);
        output.WriteInt64(value);
        output.Flush();
        return stream.ToArray();
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>
    /// cosmos.base.tendermint.v1beta1.Service/GetLatestBlock answering fixed bytes, served as plain gRPC-over-HTTP/2
    /// framing (no generated stubs exist for this service): a 5-byte frame header, the message, grpc-status trailer.
    /// </summary>
    private static void MapTendermint(WebApplication app, byte[] response) =>
        app.MapPost("/cosmos.base.tendermint.v1beta1.Service/GetLatestBlock", async context =>
        {
            context.Response.ContentType = "application/grpc";
            var frame = new byte[5 + response.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)response.Length);
            response.CopyTo(frame, 5);
            await context.Response.Body.WriteAsync(frame);
            context.Response.AppendTrailer("grpc-status", "0");
        });

    /// <summary>deployment Params with the header cosmos-sdk's gRPC server adds to every query.</summary>
    public sealed class HeightHeaderParams : DeploymentQuery.QueryBase
    {
        public const long Height = 123_456;

        public override async Task<DeploymentParamsResponse> Params(DeploymentParamsRequest request, ServerCallContext context)
        {
            await context.WriteResponseHeadersAsync(new Metadata { { "x-cosmos-block-height", Height.ToString(CultureInfo.InvariantCulture) } });
            return new DeploymentParamsResponse { Params = new() };
        }
    }

    private sealed class FakeNode : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FakeNode(WebApplication app, Uri url)
        {
            _app = app;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<FakeNode> StartAsync(Action<WebApplication> map)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            var app = builder.Build();
            map(app);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeNode(app, new Uri($"http://127.0.0.1:{new Uri(address).Port.ToString(CultureInfo.InvariantCulture)}"));
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
