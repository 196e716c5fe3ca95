using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Evm;

/// <summary>
/// A JSON-RPC endpoint in front of the sandbox's ganache that can misbehave the way hosted RPC providers do: go away
/// (HTTP 503, as a load balancer answers with no healthy backend) or be served by a node that lags behind
/// (eth_blockNumber answers an old block, and reads follow it there). Everything else is passed through unchanged.
/// </summary>
public sealed class EvmRpcProxy : IAsyncDisposable
{
    private readonly HttpClient _upstream = new();
    private readonly Uri _target;
    private readonly Lock _lock = new();
    private bool _down;
    private long? _pinnedBlock;
    private int _requests;
    private WebApplication? _app;

    private EvmRpcProxy(string target) => _target = new Uri(target);

    /// <summary>http://127.0.0.1:port: give this to the operator instead of the sandbox's own RPC URL.</summary>
    public string RpcUrl { get; private set; } = "";

    /// <summary>Requests answered with 503 while true.</summary>
    public bool Down
    {
        get { lock (_lock) return _down; }
        set { lock (_lock) _down = value; }
    }

    /// <summary>When set, eth_blockNumber answers this block instead of the head (a lagging node behind a load balancer).</summary>
    public long? PinnedBlock
    {
        get { lock (_lock) return _pinnedBlock; }
        set { lock (_lock) _pinnedBlock = value; }
    }

    /// <summary>Requests passed through or answered so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<EvmRpcProxy> StartAsync(string upstreamRpcUrl, CancellationToken cancellationToken = default)
    {
        var proxy = new EvmRpcProxy(upstreamRpcUrl);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(proxy.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        proxy.RpcUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        proxy._app = app;
        return proxy;
    }

    /// <summary>Back to a healthy pass-through.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _down = false;
            _pinnedBlock = null;
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        if (Down)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("no healthy upstream", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await _upstream.PostAsync(_target, content, context.RequestAborted).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
        if (PinnedBlock is { } pinned) text = Pin(body, text, pinned);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Replaces the result of every eth_blockNumber call (single or batched) with the pinned block.</summary>
    private static string Pin(string request, string response, long block)
    {
        var calls = JsonNode.Parse(request);
        var answers = JsonNode.Parse(response);
        var asked = (calls is JsonArray batch ? batch.OfType<JsonObject>() : calls is JsonObject one ? [one] : [])
            .Where(c => c["method"]?.GetValue<string>() == "eth_blockNumber")
            .Select(c => c["id"]?.ToJsonString())
            .ToHashSet(StringComparer.Ordinal);
        if (asked.Count == 0) return response;
        var hex = "0x" + block.ToString("x", CultureInfo.InvariantCulture);
        foreach (var answer in answers is JsonArray list ? list.OfType<JsonObject>() : answers is JsonObject single ? [single] : [])
        {
            if (asked.Contains(answer["id"]?.ToJsonString() ?? "") && answer.ContainsKey("result")) answer["result"] = hex;
        }

        return answers?.ToJsonString() ?? response;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
        _upstream.Dispose();
    }
}
