using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Operator.Telemetry;

namespace Flock.Operator.Staking;

/// <summary>A JSON-RPC transport to an Ethereum node: one method call, its "result" element back.</summary>
public interface IEthereumRpc
{
    /// <summary>
    /// Sends one JSON-RPC request. Transport failures and JSON-RPC error objects throw
    /// <see cref="EthereumRpcException"/>; cancellation throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken);
}

/// <summary>A JSON-RPC call failed: the node was unreachable (<see cref="IsTransport"/>) or answered with an error object.</summary>
public sealed class EthereumRpcException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EthereumRpcException(string message, bool isTransport, int? code = null, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTransport = isTransport;
        Code = code;
    }

    /// <summary>Creates a transport exception.</summary>
    public EthereumRpcException()
        : this("The JSON-RPC call failed.", true)
    {
    }

    /// <summary>Creates a transport exception.</summary>
    public EthereumRpcException(string message)
        : this(message, true)
    {
    }

    /// <summary>Creates a transport exception.</summary>
    public EthereumRpcException(string message, Exception innerException)
        : this(message, true, null, innerException)
    {
    }

    /// <summary>True when no JSON-RPC answer arrived (connection refused, timeout, HTTP error, not JSON).</summary>
    public bool IsTransport { get; }

    /// <summary>The JSON-RPC error code, when the node answered with an error object.</summary>
    public int? Code { get; }
}

/// <summary>
/// JSON-RPC over HTTP(S) with a per-request timeout. Error messages show only the endpoint's scheme and host (RPC
/// URLs often carry an API key in the path); so do spans. Every call is timed into flock_evm_request_duration_seconds;
/// a call made inside a trace (a stake read) is also a client span named after the method.
/// </summary>
public sealed class HttpEthereumRpc : IEthereumRpc, IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _endpoint;
    private readonly string _redacted;
    private readonly TimeSpan _timeout;
    private readonly FlockMetrics? _metrics;
    private long _id;

    /// <summary>Creates a transport for <paramref name="rpcUrl"/>; pass an <see cref="HttpClient"/> to share connections.</summary>
    public HttpEthereumRpc(string rpcUrl, HttpClient? httpClient = null, TimeSpan? timeout = null, FlockMetrics? metrics = null)
    {
        _metrics = metrics;
        _endpoint = new Uri(rpcUrl, UriKind.Absolute);
        _redacted = ChainSettings.Redact(rpcUrl);
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        _timeout = timeout ?? TimeSpan.FromSeconds(15);
    }

    /// <inheritdoc />
    public async Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        // Outside a trace (the event follower's polls every block) no span: a root per poll would drown the stake reads.
        using var activity = Activity.Current is null ? null : OperatorDiagnostics.ActivitySource.StartActivity(method, ActivityKind.Client);
        activity?.SetTag("rpc.system", "jsonrpc");
        activity?.SetTag("rpc.method", method);
        activity?.SetTag("server.address", _endpoint.Host);
        activity?.SetTag("server.port", _endpoint.Port);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var result = await SendCoreAsync(method, parameters, cancellationToken).ConfigureAwait(false);
            _metrics?.EvmCompleted(method, true, Stopwatch.GetElapsedTime(started));
            return result;
        }
        catch (EthereumRpcException e)
        {
            _metrics?.EvmCompleted(method, false, Stopwatch.GetElapsedTime(started));
            activity?.SetTag("error.type", e.IsTransport ? "transport" : "jsonrpc_error");
            if (e.Code is { } code)
            {
                activity?.SetTag("rpc.jsonrpc.error_code", code);
            }

            activity?.SetStatus(ActivityStatusCode.Error, e.IsTransport ? "transport" : "jsonrpc_error");
            throw;
        }
    }

    private async Task<JsonElement> SendCoreAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _id);
        var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters.DeepClone() };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        string text;
        try
        {
            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync(_endpoint, content, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new EthereumRpcException(
                    $"{method} at {_redacted}: HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}", isTransport: true);
            }

            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException e)
        {
            throw new EthereumRpcException($"{method} at {_redacted}: no answer within {_timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s", true, null, e);
        }
        catch (HttpRequestException e)
        {
            // HttpRequestException messages may echo the full URL; keep only its kind.
            throw new EthereumRpcException($"{method} at {_redacted}: {e.HttpRequestError}", true, null, e);
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new EthereumRpcException($"{method} at {_redacted}: the answer is not JSON", true, null, e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EthereumRpcException($"{method} at {_redacted}: the answer is not a JSON-RPC object", true);
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
            {
                // The spec says an object with code and message; proxies also send a bare string or other shapes.
                var isObject = error.ValueKind == JsonValueKind.Object;
                int? code = isObject && error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci) ? ci : null;
                var message = Truncate(isObject && error.TryGetProperty("message", out var m) ? m.ToString() : error.ToString());
                throw new EthereumRpcException($"{method} at {_redacted}: JSON-RPC error {code?.ToString(CultureInfo.InvariantCulture) ?? "?"}: {message}", false, code);
            }

            if (!root.TryGetProperty("result", out var result))
            {
                throw new EthereumRpcException($"{method} at {_redacted}: the answer has no result", true);
            }

            return result.Clone();
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}

/// <summary>The few typed eth_* calls staking needs, mapping failures to <see cref="StakingReadException"/>.</summary>
internal static class EthCalls
{
    public static async Task<long> ChainIdAsync(IEthereumRpc rpc, CancellationToken ct) =>
        ToLong(ParseQuantity(await Send(rpc, "eth_chainId", [], ct).ConfigureAwait(false), "eth_chainId"), "eth_chainId");

    public static async Task<long> BlockNumberAsync(IEthereumRpc rpc, CancellationToken ct) =>
        ToLong(ParseQuantity(await Send(rpc, "eth_blockNumber", [], ct).ConfigureAwait(false), "eth_blockNumber"), "eth_blockNumber");

    private static long ToLong(BigInteger value, string what) =>
        value <= long.MaxValue ? (long)value : throw new StakingReadException(StakingReadError.RpcUnavailable, $"{what} returned an out-of-range value.");

    public static async Task<string> GetCodeAsync(IEthereumRpc rpc, string address, long block, CancellationToken ct)
    {
        var result = await Send(rpc, "eth_getCode", [address, Quantity(block)], ct).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.String
            ? result.GetString()!
            : throw new StakingReadException(StakingReadError.RpcUnavailable, "eth_getCode returned a non-string result.");
    }

    public static async Task<string> CallAsync(IEthereumRpc rpc, string to, string data, long block, string what, CancellationToken ct)
    {
        JsonElement result;
        try
        {
            result = await rpc.SendAsync("eth_call", [new JsonObject { ["to"] = to, ["data"] = data }, Quantity(block)], ct).ConfigureAwait(false);
        }
        catch (EthereumRpcException e) when (IsExecutionFailure(e))
        {
            // The node ran the call and it reverted (no such function, bad opcode): not a task manager's answer.
            throw new StakingReadException(StakingReadError.MalformedResult, $"{what} reverted on the contract: {e.Message}", e);
        }
        catch (EthereumRpcException e)
        {
            throw new StakingReadException(StakingReadError.RpcUnavailable, e.Message, e);
        }

        return result.ValueKind == JsonValueKind.String
            ? result.GetString()!
            : throw new StakingReadException(StakingReadError.MalformedResult, $"{what} returned a non-string result.");
    }

    /// <summary>
    /// A JSON-RPC error that says the EVM ran the call and it failed (geth/reth code 3 "execution reverted",
    /// ganache/hardhat "VM Exception … revert"), as opposed to rate limits, missing blocks or overloaded nodes,
    /// which stay <see cref="StakingReadError.RpcUnavailable"/> (transient).
    /// </summary>
    internal static bool IsExecutionFailure(EthereumRpcException e) =>
        !e.IsTransport
        && (e.Code == 3
            || e.Message.Contains("revert", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("invalid opcode", StringComparison.OrdinalIgnoreCase));

    public static async Task<JsonElement> Send(IEthereumRpc rpc, string method, JsonArray parameters, CancellationToken ct)
    {
        try
        {
            return await rpc.SendAsync(method, parameters, ct).ConfigureAwait(false);
        }
        catch (EthereumRpcException e)
        {
            throw new StakingReadException(StakingReadError.RpcUnavailable, e.Message, e);
        }
    }

    public static string Quantity(long value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static BigInteger ParseQuantity(JsonElement element, string what)
    {
        var s = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (s is null || !s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.Length < 3 || s.Length > 66
            || s.AsSpan(2).ContainsAnyExcept("0123456789abcdefABCDEF"))
        {
            throw new StakingReadException(StakingReadError.RpcUnavailable, $"{what} returned '{Truncate(s)}', not a hex quantity.");
        }

        return BigInteger.Parse("0" + s[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static string Truncate(string? s) => s is null ? "(not a string)" : s.Length > 40 ? s[..40] + "…" : s;
}
