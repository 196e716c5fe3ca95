using Flock.Operator.Staking;
using Flock.Reliability.Tests.Support;

namespace Flock.Reliability.Tests.Answers;

public sealed class JsonRpcStubFixture : IAsyncLifetime
{
    public JsonRpcStub Stub { get; private set; } = null!;

    public async Task InitializeAsync() => Stub = await JsonRpcStub.StartAsync();

    public async Task DisposeAsync() => await Stub.DisposeAsync();

    /// <summary>Settings as the operator builds them: the stub's URL (with a key in the path, which must never show), Base's chain id, 2 confirmations.</summary>
    public ChainSettings Settings => new(Stub.Url + "v2/secret-rpc-key", JsonRpcStub.ChainId, JsonRpcStub.Contract, confirmations: 2);
}

/// <summary>
/// Every broken JSON-RPC answer makes a stake read fail with a typed <see cref="StakingReadException"/> whose
/// message names the call and the problem, over real HTTP (HttpEthereumRpc), and the follower survives broken logs.
/// </summary>
public sealed class EvmAnswerTests(JsonRpcStubFixture fixture) : IClassFixture<JsonRpcStubFixture>
{
    public static TheoryData<string> ReaderCases() => new(EvmAnswers.All.Select(a => a.Name));

    public static TheoryData<string> LogCases() => new(StakeLogAnswers.All.Select(a => a.Name));

    [Fact]
    public async Task The_healthy_stub_reads_a_stake()
    {
        fixture.Stub.Reset();
        using var reader = new StakingReader(fixture.Settings, requestTimeout: TimeSpan.FromSeconds(5));

        var reading = await reader.ReadAsync(7, JsonRpcStub.Wallet, StakeRole.Node);

        Assert.Equal((1, 1, 14L, true), ((int)reading.Amount, (int)reading.Minimum, reading.Block, reading.TaskCompleted));
    }

    [Theory]
    [MemberData(nameof(ReaderCases))]
    public async Task A_broken_answer_fails_the_read_with_a_typed_error_naming_it(string name)
    {
        var answer = EvmAnswers.All.Single(a => a.Name == name);
        fixture.Stub.Reset();
        fixture.Stub.Override(answer.Method, answer.Reply);
        using var reader = new StakingReader(fixture.Settings, requestTimeout: TimeSpan.FromSeconds(3));

        var error = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(7, JsonRpcStub.Wallet, StakeRole.Node));

        Assert.Equal(answer.Reason, error.Reason);
        foreach (var part in answer.Says) Assert.Contains(part, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-rpc-key", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, $"message of {error.Message.Length} chars");
    }

    [Theory]
    [MemberData(nameof(LogCases))]
    public async Task A_broken_log_is_a_typed_error_and_a_foreign_one_is_skipped(string name)
    {
        var answer = StakeLogAnswers.All.Single(a => a.Name == name);
        fixture.Stub.Reset();
        fixture.Stub.Override("eth_getLogs", (id, _) => RpcReply.Result(id, answer.Result));
        var events = new List<StakeEvent>();
        using var follower = new StakeEventFollower(fixture.Settings, new HttpEthereumRpc(fixture.Settings.RpcUrl),
            (e, _) => { events.Add(e); return ValueTask.CompletedTask; }, new StakeEventFollowerOptions { StartBlock = 0 });

        if (answer.Reason is { } reason)
        {
            var error = await Assert.ThrowsAsync<StakingReadException>(() => follower.PollOnceAsync());
            Assert.Equal(reason, error.Reason);
            foreach (var part in answer.Says) Assert.Contains(part, error.Message, StringComparison.Ordinal);
            Assert.Equal(-1, follower.LastProcessedBlock); // nothing was marked processed
        }
        else
        {
            await follower.PollOnceAsync();
            Assert.Empty(events);
            Assert.Equal(14, follower.LastProcessedBlock);
        }
    }

    [Fact]
    public async Task A_well_formed_stake_log_is_delivered()
    {
        fixture.Stub.Reset();
        fixture.Stub.Override("eth_getLogs", (id, p) => RpcReply.Result(id,
            p[0]?["topics"]?[0]?.AsArray().Count == 4 ? "[" + StakeLogAnswers.Log() + "]" : "[]"));
        var events = new List<StakeEvent>();
        using var follower = new StakeEventFollower(fixture.Settings, new HttpEthereumRpc(fixture.Settings.RpcUrl),
            (e, _) => { events.Add(e); return ValueTask.CompletedTask; }, new StakeEventFollowerOptions { StartBlock = 0 });

        await follower.PollOnceAsync();

        var e = Assert.Single(events);
        Assert.Equal((StakeEventKind.NodeStakeDeposited, 7L, 3000, 5L), (e.Kind, e.TaskId, (int)e.Amount, e.Block));
    }
}
