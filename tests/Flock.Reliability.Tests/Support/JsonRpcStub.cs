using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Reliability.Tests.Support;

/// <summary>What the stub sends back for one JSON-RPC request: an HTTP status and a body, verbatim, after an optional delay.</summary>
public sealed record RpcReply(int Status, string Body, TimeSpan Delay = default)
{
    /// <summary>A well-formed JSON-RPC 2.0 answer carrying <paramref name="result"/> (JSON text) for request <paramref name="id"/>.</summary>
    public static RpcReply Result(JsonNode? id, string result) => new(200, $"{{\"jsonrpc\":\"2.0\",\"id\":{id?.ToJsonString() ?? "null"},\"result\":{result}}}");

    /// <summary>A JSON-RPC error object (JSON text) for request <paramref name="id"/>.</summary>
    public static RpcReply Error(JsonNode? id, string error) => new(200, $"{{\"jsonrpc\":\"2.0\",\"id\":{id?.ToJsonString() ?? "null"},\"error\":{error}}}");
}

/// <summary>
/// A tiny Ethereum JSON-RPC endpoint over HTTP on loopback. By default it is a healthy Base node whose task manager
/// (deployed in block 1) answers every stake query with one uint256 word; <see cref="Override"/> makes one method answer anything at all.
/// </summary>
public sealed class JsonRpcStub : IAsyncDisposable
{
    public const long ChainId = 8453;
    public const string Contract = "0x00000000000000000000000000000000000000c0";
    public const string Wallet = "0x00000000000000000000000000000000000000aa";

    private readonly ConcurrentDictionary<string, Func<JsonNode?, JsonArray, RpcReply>> _overrides = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    /// <summary>A word answering every eth_call: 1 (so a bool reads true and a stake 1 wei).</summary>
    public static string OneWord => "\"0x" + new string('0', 63) + "1\"";

    public static async Task<JsonRpcStub> StartAsync()
    {
        var stub = new JsonRpcStub();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/{**path}", stub.HandleAsync); // any path: RPC URLs often carry a key in theirs
        await app.StartAsync();
        stub.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
        stub._app = app;
        return stub;
    }

    /// <summary>Makes <paramref name="method"/> answer with <paramref name="reply"/> (given the request id and params) until <see cref="Reset"/>.</summary>
    public void Override(string method, Func<JsonNode?, JsonArray, RpcReply> reply) => _overrides[method] = reply;

    public void Reset() => _overrides.Clear();

    private async Task HandleAsync(HttpContext context)
    {
        var request = await JsonNode.ParseAsync(context.Request.Body);
        var method = request?["method"]?.GetValue<string>() ?? "";
        var id = request?["id"]?.DeepClone();
        var parameters = request?["params"] as JsonArray ?? [];
        var reply = _overrides.TryGetValue(method, out var custom) ? custom(id, parameters) : Healthy(method, id, parameters);
        if (reply.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body);
    }

    // The task manager was deployed in block 1: at block 0 there is no code, as on a real chain.
    private static RpcReply Healthy(string method, JsonNode? id, JsonArray parameters) => method switch
    {
        "eth_chainId" => RpcReply.Result(id, "\"0x2105\""),
        "eth_blockNumber" => RpcReply.Result(id, "\"0x10\""),
        "eth_getCode" => RpcReply.Result(id, parameters[1]?.GetValue<string>() == "0x0" ? "\"0x\"" : "\"0x6080604052\""),
        "eth_call" => RpcReply.Result(id, OneWord),
        "eth_getLogs" => RpcReply.Result(id, "[]"),
        _ => RpcReply.Error(id, "{\"code\":-32601,\"message\":\"the method does not exist\"}"),
    };

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
