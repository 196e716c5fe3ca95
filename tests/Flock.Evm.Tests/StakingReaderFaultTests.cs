using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Operator.Staking;

namespace Flock.Evm.Tests;

/// <summary>Answers a real node would rarely give, through a scripted transport: each maps to the right typed error.</summary>
public sealed class StakingReaderFaultTests
{
    private const string Contract = "0x00000000000000000000000000000000000000c0";
    private const string Wallet = "0x00000000000000000000000000000000000000aa";
    private static readonly ChainSettings Settings = new("https://rpc.example/v2/key", 8453, Contract, confirmations: 2);

    [Theory]
    [InlineData("0x" + "00000000000000000000000000000000000000000000000000000000000000", StakingReadError.MalformedResult)] // 31 bytes
    [InlineData("0x", StakingReadError.MalformedResult)]
    [InlineData("not hex", StakingReadError.MalformedResult)]
    public async Task A_stake_answer_that_is_not_one_uint256_word_is_MalformedResult(string answer, StakingReadError expected)
    {
        var rpc = new ScriptedRpc { Call = _ => Json(answer) };
        using var reader = new StakingReader(Settings, rpc);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1, Wallet, StakeRole.Node));

        Assert.Equal(expected, e.Reason);
    }

    [Fact]
    public async Task A_bool_that_is_neither_0_nor_1_is_MalformedResult()
    {
        var isCompleted = FlockTaskManagerAbi.Selector(FlockTaskManagerAbi.IsTaskCompleted);
        var rpc = new ScriptedRpc { Call = data => Json("0x" + (data.StartsWith(isCompleted, StringComparison.Ordinal) ? "2" : "0").PadLeft(64, '0')) };
        using var reader = new StakingReader(Settings, rpc);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1, Wallet, StakeRole.Validator));

        Assert.Equal(StakingReadError.MalformedResult, e.Reason);
    }

    [Fact]
    public async Task A_rate_limit_error_on_a_call_is_transient_not_malformed()
    {
        var rpc = new ScriptedRpc { Call = _ => throw new EthereumRpcException("eth_call: JSON-RPC error -32005: limit exceeded", false, -32005) };
        using var reader = new StakingReader(Settings, rpc);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1, Wallet, StakeRole.Node));

        Assert.Equal(StakingReadError.RpcUnavailable, e.Reason);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public async Task Reads_happen_at_latest_minus_confirmations_and_use_the_real_selectors()
    {
        var rpc = new ScriptedRpc { Call = _ => Json("0x" + new string('0', 63) + "1") };
        using var reader = new StakingReader(Settings, rpc);

        var reading = await reader.ReadAsync(7, Wallet, StakeRole.Node);

        Assert.Equal(0x10 - 2, reading.Block);
        Assert.All(rpc.CallBlocks, b => Assert.Equal("0xe", b));
        Assert.Contains(rpc.CallData, d => d == "0x3707a8c1" + FlockTaskManagerAbi.Word(7) + FlockTaskManagerAbi.AddressWord(Wallet));
        Assert.Contains("0xaaa0aad2", rpc.CallData); // minNodeStakes()
    }

    private static JsonElement Json(string value) => JsonSerializer.SerializeToElement(value);

    private sealed class ScriptedRpc : IEthereumRpc
    {
        public required Func<string, JsonElement> Call { get; init; }

        public List<string> CallData { get; } = [];

        public List<string> CallBlocks { get; } = [];

        public Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
        {
            switch (method)
            {
                case "eth_chainId":
                    return Task.FromResult(Json("0x2105"));
                case "eth_blockNumber":
                    return Task.FromResult(Json("0x10"));
                case "eth_getCode":
                    return Task.FromResult(Json("0x6080"));
                case "eth_call":
                    var data = parameters[0]!["data"]!.GetValue<string>();
                    lock (CallData)
                    {
                        CallData.Add(data);
                        CallBlocks.Add(parameters[1]!.GetValue<string>());
                    }

                    return Task.FromResult(Call(data));
                default:
                    throw new InvalidOperationException(method);
            }
        }
    }
}
