using Flock.Operator.Staking;
using Flock.Reliability.Tests.Support;

namespace Flock.Reliability.Tests.Answers;

/// <summary>
/// An eth_getLogs result the stake-event follower receives, and what must come of it: a typed error naming the
/// broken part (<paramref name="Reason"/>), or, for logs that are well-formed but not ours (<paramref name="Reason"/>
/// null), no event and no error.
/// </summary>
public sealed record StakeLogAnswer(string Name, string Result, StakingReadError? Reason, params string[] Says)
{
    public override string ToString() => Name;
}

/// <summary>Logs as eth_getLogs returns them (address, topics, data, blockNumber, logIndex, transactionHash, removed), broken one way at a time.</summary>
public static class StakeLogAnswers
{
    private static readonly string Deposit = FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.NodeStakeDepositedEvent);
    private static readonly string Task7 = FlockTaskManagerAbi.UintTopic(7);
    private static readonly string Wallet = FlockTaskManagerAbi.AddressTopic(JsonRpcStub.Wallet);
    private static readonly string Amount = "\"0x" + FlockTaskManagerAbi.Word(3000) + "\"";

    /// <summary>A NodeStakeDeposited log of task 7 with one member replaced (JSON text) or left out (null).</summary>
    public static string Log(string? address = null, string? topics = null, string? data = null, string? blockNumber = "\"0x5\"", string? logIndex = "\"0x0\"",
        string? removed = null, bool omitAddress = false, bool omitTopics = false)
    {
        var members = new List<string>();
        if (!omitAddress) members.Add($"\"address\": {address ?? "\"" + JsonRpcStub.Contract + "\""}");
        if (!omitTopics) members.Add($"\"topics\": {topics ?? $"[\"{Deposit}\", \"{Task7}\", \"{Wallet}\"]"}");
        members.Add($"\"data\": {data ?? Amount}");
        if (blockNumber is not null) members.Add($"\"blockNumber\": {blockNumber}");
        if (logIndex is not null) members.Add($"\"logIndex\": {logIndex}");
        members.Add("\"transactionHash\": \"0x" + new string('a', 64) + "\"");
        if (removed is not null) members.Add($"\"removed\": {removed}");
        return "{" + string.Join(", ", members) + "}";
    }

    public static IReadOnlyList<StakeLogAnswer> All { get; } =
    [
        new("logs result null", "null", StakingReadError.MalformedResult, "eth_getLogs", "non-array"),
        new("logs result an object", "{\"logs\": []}", StakingReadError.MalformedResult, "eth_getLogs", "non-array"),
        new("log without blockNumber", "[" + Log(blockNumber: null) + "]", StakingReadError.MalformedResult, "eth_getLogs", "blockNumber"),
        new("log with blockNumber beyond 64 bits", "[" + Log(blockNumber: "\"0x" + new string('f', 20) + "\"") + "]", StakingReadError.MalformedResult, "blockNumber", "out of range"),
        new("log with a decimal logIndex", "[" + Log(logIndex: "3") + "]", StakingReadError.MalformedResult, "logIndex"),
        new("log without logIndex", "[" + Log(logIndex: null) + "]", StakingReadError.MalformedResult, "logIndex"),
        new("log with a topic that is a number", "[" + Log(topics: $"[\"{Deposit}\", 7, \"{Wallet}\"]") + "]", StakingReadError.MalformedResult, "topic"),
        new("log with topics as a string", "[" + Log(topics: $"\"{Deposit}\"") + "]", StakingReadError.MalformedResult, "topics"),
        new("log with data as a number", "[" + Log(data: "3000") + "]", StakingReadError.MalformedResult, "data"),
        new("log with address as a number", "[" + Log(address: "192") + "]", StakingReadError.MalformedResult, "address"),
        new("log that is a string", "[\"0xdeadbeef\"]", StakingReadError.MalformedResult, "eth_getLogs", "not an object"),
        new("log of another contract", "[" + Log(address: "\"0x00000000000000000000000000000000000000c1\"") + "]", null),
        new("log removed by a reorganisation", "[" + Log(removed: "true") + "]", null),
        new("stake log with two topics", "[" + Log(topics: $"[\"{Deposit}\", \"{Task7}\"]") + "]", null),
        new("stake log whose address topic has high bytes set", "[" + Log(topics: $"[\"{Deposit}\", \"{Task7}\", \"0x{new string('f', 64)}\"]") + "]", null),
        new("stake log with an amount of 31 bytes", "[" + Log(data: "\"0x" + new string('0', 62) + "\"") + "]", null),
        new("log with an unknown event topic", "[" + Log(topics: $"[\"0x{new string('1', 64)}\"]") + "]", null),
    ];
}
