using Xunit.Abstractions;

namespace Flock.Reliability.Tests.Answers;

/// <summary>The outside-answer corpus: its size per source (printed), at least fifty in all, names unique within a source.</summary>
public sealed class AnswerCorpusTests(ITestOutputHelper output)
{
    public static IReadOnlyList<(string Source, IReadOnlyList<string> Names)> Sources { get; } =
    [
        ("FLock API (GET /tasks/get)", FlockApiAnswers.All.Select(a => a.Name).ToList()),
        ("EVM JSON-RPC (stake reads)", EvmAnswers.All.Select(a => a.Name).ToList()),
        ("EVM JSON-RPC (eth_getLogs)", StakeLogAnswers.All.Select(a => a.Name).ToList()),
        ("Akash gRPC", AkashAnswers.All.Select(a => a.Name).ToList()),
        ("Akash bids", BidAnswers.All.Select(a => a.Name).ToList()),
    ];

    [Fact]
    public void At_least_fifty_malformed_outside_answers_each_named_once()
    {
        foreach (var (source, names) in Sources)
        {
            output.WriteLine($"{source}: {names.Count}");
            Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        }

        var total = Sources.Sum(s => s.Names.Count);
        output.WriteLine($"total: {total} (plus 16 provider lease-status answers, served in tests/Flock.AkashProvider.Tests/ProviderStatusAnswerTests)");
        Assert.True(total >= 50, $"only {total} outside answers");
    }
}
