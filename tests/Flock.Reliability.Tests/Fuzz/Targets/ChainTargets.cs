using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Staking;

namespace Flock.Reliability.Tests.Fuzz.Targets;

/// <summary>
/// The chain-answer readers: StakingReader given any JSON-RPC results, StakeEventFollower given any logs, and
/// LeaseBidSelector given any bids and provider attributes. Each either succeeds or fails with its typed error.
/// </summary>
public static class ChainTargets
{
    private const string Contract = "0x00000000000000000000000000000000000000c0";
    private const string Wallet = "0x00000000000000000000000000000000000000aa";
    private static readonly ChainSettings Settings = new("http://127.0.0.1:1/", 8453, Contract, confirmations: 2);

    private static Gen<string> Pick(params string[] choices) => Gen.Int[0, choices.Length - 1].Select(i => choices[i]);

    private static readonly string Word1 = "\"0x" + new string('0', 63) + "1\"";

    // Result JSON for one call: mostly plausible hex, sometimes anything.
    private static readonly Gen<string> Result = Gen.Frequency(
        (4, Pick("\"0x2105\"", "\"0x10\"", "\"0x1\"", "\"0x0\"", "\"0x\"", "\"0x6080\"", Word1, "\"0x" + new string('0', 64) + "\"", "\"0x" + new string('f', 64) + "\"")),
        (2, Gen.Char["0123456789abcdefABCDEFxg"].Array[0, 70].Select(c => "\"0x" + new string(c) + "\"")),
        (1, Pick("null", "1", "true", "[]", "{}", "\"\"", "\"-0x1\"", "\"0X10\"", "\"0x" + new string('1', 80) + "\"", "{\"code\":3}")),
        (1, Gen.Const("ERROR")));

    private static readonly Gen<string> LogMember = Gen.Frequency((3, Result.Where(r => r != "ERROR")), (1, Pick("[\"0x1\"]", "[1]", "[null]", "\"" + Contract + "\"")));

    private static readonly Gen<string> LogList =
        Gen.Select(Pick("address", "topics", "data", "blockNumber", "logIndex", "removed", "transactionHash").Array[0, 7], LogMember.Array[7])
            .Select((keys, values) => "{" + string.Join(",", keys.Distinct().Select((k, i) => $"\"{k}\":{values[i]}")) + "}")
            .Array[0, 3].Select(logs => "[" + string.Join(",", logs) + "]");

    private static readonly Gen<Dictionary<string, string>> Answers =
        from chainId in Gen.Frequency((3, Gen.Const("\"0x2105\"")), (1, Result))
        from block in Result
        from code in Result
        from call in Result
        from logs in Gen.Frequency((1, Gen.Const("[]")), (3, LogList))
        select new Dictionary<string, string> { ["eth_chainId"] = chainId, ["eth_blockNumber"] = block, ["eth_getCode"] = code, ["eth_call"] = call, ["eth_getLogs"] = logs };

    public static IFuzzTarget StakeReads => new FuzzTarget<Dictionary<string, string>>("StakingReader and StakeEventFollower on generated JSON-RPC results", Answers, answers =>
    {
        var rpc = new ScriptedRpc(answers);
        using var reader = new StakingReader(Settings, rpc);
        var read = false;
        try
        {
            var reading = reader.ReadAsync(7, Wallet, StakeRole.Node).GetAwaiter().GetResult();
            if (reading.Amount.Sign < 0 || reading.Block < 0) throw new FuzzFailure($"read {reading.Amount} at block {reading.Block}");
            read = true;
        }
        catch (StakingReadException e) when (e.Message.Length is > 0 and < 400)
        {
        }

        using var follower = new StakeEventFollower(Settings, rpc, (_, _) => ValueTask.CompletedTask, new StakeEventFollowerOptions { StartBlock = 0 });
        try
        {
            follower.PollOnceAsync().GetAwaiter().GetResult();
        }
        catch (StakingReadException e) when (e.Message.Length is > 0 and < 400)
        {
        }

        return read;
    }, a => string.Join("\n", a.Select(kv => $"{kv.Key} → {kv.Value}")));

    /// <summary>An in-memory node answering each method with the scripted JSON, or a JSON-RPC error for "ERROR".</summary>
    private sealed class ScriptedRpc(Dictionary<string, string> answers) : IEthereumRpc
    {
        public Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken) =>
            answers[method] == "ERROR"
                ? throw new EthereumRpcException($"{method}: JSON-RPC error 3: execution reverted", isTransport: false, code: 3)
                : Task.FromResult(JsonDocument.Parse(answers[method]).RootElement.Clone());
    }

    // ---- bids ----------------------------------------------------------------------------------------------

    private static readonly Gen<string> AttributeKey = Gen.Frequency(
        (3, Pick("capabilities/gpu/vendor/nvidia/model/h100/ram/80Gi", "capabilities/gpu/vendor/nvidia/model/a100/ram/40Gi", "capabilities/gpu/vendor/nvidia/model/rtx4090")),
        (3, Gen.Select(Pick("h100", "a100", "", "H100", "a-b", "rtx4090"), Pick("", "/ram/80Gi", "/ram/24Gi", "/ram/99999999999999999999Gi", "/ram/8589934592Gi", "/ram/1Ti",
                "/ram/", "/ram/80", "/ram/80Mi", "/ram/-1Gi"), Pick("", "/interface/sxm", "/interface/", "/x"))
            .Select((model, ram, iface) => "capabilities/gpu/vendor/nvidia/model/" + model + ram + iface)),
        (1, Pick("region", "tier", "capabilities/gpu/vendor/nvidia/model", "capabilities/gpu", "")));

    private static readonly Gen<BidCandidate> Bid =
        from provider in Gen.Frequency((4, Pick("akash1a", "akash1b")), (1, Pick("", " ")))
        from denom in Gen.Frequency((4, Gen.Const("uact")), (1, Pick("uakt", "", "UACT")))
        from price in Gen.Frequency((4, Gen.Int[0, 2000].Select(i => (decimal)i)), (1, Gen.OneOf(new[] { -1m, decimal.MaxValue, decimal.MinValue, 0.0000000001m }.Select(Gen.Const).ToArray())))
        from attributes in Gen.Select(AttributeKey, Gen.Frequency((4, Gen.Const("true")), (1, Pick("false", "TRUE", "")))).Array[0, 4]
        select new BidCandidate(provider, 0, denom, price, 100, attributes.DistinctBy(a => a.Item1).ToDictionary(a => a.Item1, a => a.Item2), new HashSet<string>());

    private static readonly Gen<BidRequirements> Requirements =
        from models in Pick("h100", "a100", "rtx4090").Array[0, 2]
        from minGi in Gen.Frequency((1, Gen.Const(0)), (1, Gen.Int[1, 100]))
        select new BidRequirements { Denom = "uact", MaxPrice = 1000m, GpuModels = models, GpuMinMemoryBytes = minGi == 0 ? null : (long)minGi << 30 };

    public static IFuzzTarget Bids => new FuzzTarget<(BidCandidate[] Bids, BidRequirements Requirements)>("LeaseBidSelector on generated bids and attributes",
        Gen.Select(Bid.Array[0, 6], Requirements), input =>
        {
            var selection = LeaseBidSelector.Select(input.Bids, input.Requirements, height: 10, windowEndsAt: 5);
            if (selection.Chosen is { } chosen && (chosen.Price < 0 || chosen.Price > input.Requirements.MaxPrice || chosen.Denom != "uact" || LeaseBidSelector.Reject(chosen, input.Requirements) is not null))
            {
                throw new FuzzFailure($"chose {chosen.Provider} at {chosen.Price}{chosen.Denom}");
            }

            if (selection.Rejections.Values.Sum() + input.Bids.Count(b => LeaseBidSelector.Reject(b, input.Requirements) is null) != input.Bids.Length)
            {
                throw new FuzzFailure("a bid is neither chosen, eligible nor rejected");
            }

            _ = selection.Explain(input.Requirements, input.Bids.Length);
            return selection.Chosen is not null;
        }, i => string.Join("; ", i.Bids.Select(b => $"{b.Provider} {b.Price}{b.Denom} [{string.Join(",", b.Attributes.Select(a => a.Key + "=" + a.Value))}]")));
}
