using Flock.Akash.Client;
using Flock.Reliability.Tests.Support;

namespace Flock.Reliability.Tests.Answers;

public sealed class BogusAkashNodeFixture : IAsyncLifetime
{
    public BogusAkashNode Node { get; private set; } = null!;

    public async Task InitializeAsync() => Node = await BogusAkashNode.StartAsync();

    public async Task DisposeAsync() => await Node.DisposeAsync();
}

/// <summary>The chain client, over real gRPC, turns every bogus answer into a typed error naming the query, or a documented neutral result.</summary>
public sealed class AkashAnswerTests(BogusAkashNodeFixture fixture) : IClassFixture<BogusAkashNodeFixture>
{
    public static TheoryData<string> Cases() => new(AkashAnswers.All.Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bogus_answer_is_a_typed_error_or_a_neutral_result(string name)
    {
        var answer = AkashAnswers.All.Single(a => a.Name == name);
        fixture.Node.Reset();
        answer.Arrange(fixture.Node);
        using var client = new AkashChainClient(new AkashClientOptions(fixture.Node.Url, "akashnet-2", answer.CallDeadline));

        if (answer.Error is { } type)
        {
            var error = await Record.ExceptionAsync(() => answer.Call(client));
            Assert.NotNull(error);
            Assert.IsAssignableFrom(type, error);
            foreach (var part in answer.Says) Assert.Contains(part, error.Message, StringComparison.Ordinal);
            Assert.True(error.Message.Length < 500, $"message of {error.Message.Length} chars");
        }
        else
        {
            var result = await answer.Call(client);
            Assert.True(answer.Accept!(result), $"unexpected result {result}");
        }
    }
}
