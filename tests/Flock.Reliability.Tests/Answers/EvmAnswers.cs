using System.Text.Json.Nodes;
using Flock.Operator.Staking;
using Flock.Reliability.Tests.Support;

namespace Flock.Reliability.Tests.Answers;

/// <summary>
/// One JSON-RPC method answering wrongly while the rest of the node is healthy, and what a stake read must then
/// fail with. <paramref name="Reason"/> null means the answer is harmless noise the reader must read through.
/// </summary>
public sealed record EvmAnswer(string Name, string Method, Func<JsonNode?, JsonArray, RpcReply> Reply, StakingReadError Reason, params string[] Says)
{
    public override string ToString() => Name;
}

/// <summary>
/// Answers a Base RPC endpoint (or a proxy in front of one) can give to the calls StakingReader makes: eth_chainId,
/// eth_blockNumber, eth_getCode and eth_call (JSON-RPC 2.0; result quantities are 0x-hex, see
/// https://ethereum.org/en/developers/docs/apis/json-rpc/#hex-encoding).
/// </summary>
public static class EvmAnswers
{
    private static Func<JsonNode?, JsonArray, RpcReply> Result(string json) => (id, _) => RpcReply.Result(id, json);

    private static Func<JsonNode?, JsonArray, RpcReply> Error(string json) => (id, _) => RpcReply.Error(id, json);

    private static Func<JsonNode?, JsonArray, RpcReply> Raw(int status, string body) => (_, _) => new RpcReply(status, body);

    private static string Hex(string digits) => "\"0x" + digits + "\"";

    public static IReadOnlyList<EvmAnswer> All { get; } =
    [
        new("chain id null", "eth_chainId", Result("null"), StakingReadError.RpcUnavailable, "eth_chainId", "not a hex quantity"),
        new("chain id as a JSON number", "eth_chainId", Result("8453"), StakingReadError.RpcUnavailable, "eth_chainId", "not a hex quantity"),
        new("chain id 0x alone", "eth_chainId", Result("\"0x\""), StakingReadError.RpcUnavailable, "'0x'", "not a hex quantity"),
        new("chain id with non-hex digits", "eth_chainId", Result("\"0xZZ\""), StakingReadError.RpcUnavailable, "'0xZZ'"),
        new("chain id in decimal", "eth_chainId", Result("\"8453\""), StakingReadError.RpcUnavailable, "'8453'", "not a hex quantity"),
        new("chain id longer than 32 bytes", "eth_chainId", Result(Hex(new string('1', 70))), StakingReadError.RpcUnavailable, "eth_chainId", "not a hex quantity"),
        new("chain id of another chain", "eth_chainId", Result("\"0x1\""), StakingReadError.ChainIdMismatch, "serves chain 1", "8453"),
        new("chain id method missing", "eth_chainId", Error("{\"code\":-32601,\"message\":\"the method eth_chainId does not exist\"}"),
            StakingReadError.RpcUnavailable, "-32601", "does not exist"),
        new("error that is a bare string", "eth_chainId", Error("\"internal error\""), StakingReadError.RpcUnavailable, "eth_chainId", "internal error"),
        new("error with an object message", "eth_chainId", Error("{\"code\":-32000,\"message\":{\"text\":\"header not found\"}}"),
            StakingReadError.RpcUnavailable, "-32000", "header not found"),
        new("error with a code that is not a number", "eth_chainId", Error("{\"code\":\"oops\",\"message\":\"bad gateway\"}"),
            StakingReadError.RpcUnavailable, "bad gateway"),
        new("block number beyond 64 bits", "eth_blockNumber", Result(Hex(new string('f', 20))), StakingReadError.RpcUnavailable, "eth_blockNumber", "out-of-range"),
        new("negative block number", "eth_blockNumber", Result("\"-0x1\""), StakingReadError.RpcUnavailable, "eth_blockNumber", "not a hex quantity"),
        new("block number as an object", "eth_blockNumber", Result("{\"number\":\"0x10\"}"), StakingReadError.RpcUnavailable, "eth_blockNumber"),
        new("node far behind the contract's deployment", "eth_blockNumber", Result("\"0x1\""), StakingReadError.ContractMissing, "No contract code", "at block 0"),
        new("no code at the contract address", "eth_getCode", Result("\"0x\""), StakingReadError.ContractMissing, "No contract code", JsonRpcStub.Contract),
        new("code of zero bytes only", "eth_getCode", Result("\"0x0000\""), StakingReadError.ContractMissing, "No contract code"),
        new("code as null", "eth_getCode", Result("null"), StakingReadError.RpcUnavailable, "eth_getCode", "non-string"),
        new("call returning no data", "eth_call", Result("\"0x\""), StakingReadError.MalformedResult, "no data"),
        new("call returning 31 bytes", "eth_call", Result(Hex(new string('0', 62))), StakingReadError.MalformedResult, "31 byte(s)", "uint256"),
        new("call returning two words", "eth_call", Result(Hex(new string('0', 128))), StakingReadError.MalformedResult, "64 byte(s)"),
        new("call returning non-hex data", "eth_call", Result(Hex(new string('g', 64))), StakingReadError.MalformedResult, "non-hex"),
        new("call returning null", "eth_call", Result("null"), StakingReadError.MalformedResult, "non-string"),
        new("call reverted", "eth_call", Error("{\"code\":3,\"message\":\"execution reverted\",\"data\":\"0x\"}"), StakingReadError.MalformedResult, "reverted"),
        new("call rate-limited", "eth_call", Error("{\"code\":-32005,\"message\":\"limit exceeded\"}"), StakingReadError.RpcUnavailable, "-32005", "limit exceeded"),
        new("task completion flag of 2", "eth_call",
            (id, p) => RpcReply.Result(id, p[0]?["data"]?.GetValue<string>().StartsWith(FlockTaskManagerAbi.Selector(FlockTaskManagerAbi.IsTaskCompleted), StringComparison.Ordinal) == true
                ? Hex(new string('0', 63) + "2") : JsonRpcStub.OneWord),
            StakingReadError.MalformedResult, "isTaskCompleted", "not a bool"),
        new("HTTP 500 with an HTML page", "eth_chainId", Raw(500, "<html><body>Internal Server Error</body></html>"), StakingReadError.RpcUnavailable, "HTTP 500"),
        new("HTTP 429", "eth_blockNumber", Raw(429, "{\"message\":\"Too Many Requests\"}"), StakingReadError.RpcUnavailable, "HTTP 429"),
        new("HTML page with 200", "eth_chainId", Raw(200, "<html><body>cloudflare</body></html>"), StakingReadError.RpcUnavailable, "not JSON"),
        new("truncated JSON", "eth_blockNumber", Raw(200, "{\"jsonrpc\":\"2.0\",\"id\":1,\"resu"), StakingReadError.RpcUnavailable, "not JSON"),
        new("a batch array instead of one answer", "eth_chainId", Raw(200, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x2105\"}]"),
            StakingReadError.RpcUnavailable, "not a JSON-RPC object"),
        new("neither result nor error", "eth_getCode", Raw(200, "{\"jsonrpc\":\"2.0\",\"id\":1}"), StakingReadError.RpcUnavailable, "no result"),
        new("no answer within the timeout", "eth_call", (id, _) => RpcReply.Result(id, JsonRpcStub.OneWord) with { Delay = TimeSpan.FromSeconds(6) },
            StakingReadError.RpcUnavailable, "no answer within"),
    ];
}
