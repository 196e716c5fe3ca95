using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>Every answer of <see cref="ProviderStatusAnswers"/>, served by a provider to the real client, ends as its table says.</summary>
public sealed class ProviderStatusAnswerTests
{
    [Fact]
    public async Task Malformed_lease_status_answers_become_typed_failures_naming_the_problem_or_statuses_that_are_not_ready()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "p" });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        var endpoint = await w.EndpointAsync(lease.Provider);
        var id = LeaseId.From(lease);
        await Eventually.TrueAsync(() => w["p"].ActiveLeases == 1, "the provider noticed its lease");
        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);

        var outcomes = new List<string>();
        foreach (var answer in ProviderStatusAnswers.All)
        {
            w["p"].Faults.StatusAnswer = (answer.Status, answer.Body);
            if (answer.Expected is { } kind)
            {
                var e = await Assert.ThrowsAsync<ProviderException>(() => w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default));
                Assert.True(kind == e.Kind, $"{answer.Name}: expected {kind}, got {e.Kind}: {e.Message}");
                Assert.Contains(answer.Words, e.Message, StringComparison.Ordinal);
                outcomes.Add($"{answer.Name}: {e.Kind}");
            }
            else
            {
                // Readable, but nothing in it says the worker's service runs: the operator must not call it ready.
                var status = await w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default);
                Assert.False(status.AllServicesReady && status.Services.ContainsKey("flock-train"), answer.Name);
                outcomes.Add($"{answer.Name}: read, not ready");
            }
        }

        Assert.Equal(ProviderStatusAnswers.All.Count, outcomes.Count);
        Console.WriteLine($"provider status answers: {outcomes.Count} ({string.Join("; ", outcomes)})");
    }
}
