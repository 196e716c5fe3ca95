using System.Text.Json;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// The operator's tokens name one provider. Provider A, given a token for its own use, replays it at provider B,
/// which holds the same owner's lease: B verifies the signature, finds itself absent from the permissions and
/// answers 401 {"message":"unauthorized access"} (authorizeProviderMiddleware). B's own token still does everything
/// the operator needs: manifest, lease status, logs.
/// </summary>
public sealed class ProviderBoundTokenTests
{
    [Fact]
    public async Task A_token_made_for_provider_a_is_refused_by_provider_b_and_bs_own_token_runs_the_lease()
    {
        await using var w = await World.StartAsync(
            new SimulatedProviderOptions { Name = "a", Pricing = BidPricing.FractionOfMax(0.9m) },
            new SimulatedProviderOptions { Name = "b", Pricing = BidPricing.FractionOfMax(0.3m) });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 2);
        Assert.Equal(w["b"].Address, lease.Provider);
        var b = await w.EndpointAsync(lease.Provider);
        await Eventually.TrueAsync(() => w["b"].ActiveLeases == 1, "provider b noticed its lease");

        // What the operator hands to provider A (the same claims ProviderClient sends there), replayed by A at B.
        var forA = new ProviderTokens().For((JwtAuth)w.Jwt, w["a"].Address);
        var statusPath = $"/lease/{LeaseId.From(lease)}/status";
        foreach (var (method, path, body) in new[] { (HttpMethod.Get, statusPath, (string?)null), (HttpMethod.Put, $"/deployment/{d.Dseq}/manifest", d.Sdl.ManifestJson) })
        {
            var replayed = await RawProvider.SendAsync(b, method, path, forA, body: body);
            Assert.Equal((401, "unauthorized access"), (replayed.Status, Message(replayed.Body)));
        }

        Assert.Equal(0, w["b"].Counters.ManifestsAccepted);

        // The operator's client asked to talk to A but routed to B's host: it signs for A, and B refuses.
        var misdirected = b with { Address = w["a"].Address };
        var refused = await Assert.ThrowsAsync<ProviderException>(() => w.Api.GetLeaseStatusAsync(misdirected, LeaseId.From(lease), w.Jwt, default));
        Assert.Equal((ProviderErrorKind.Unauthorized, 401), (refused.Kind, refused.StatusCode));
        Assert.Contains("unauthorized access", refused.Message, StringComparison.Ordinal);
        var logsRefused = await Assert.ThrowsAsync<ProviderException>(() => w.Api.GetLogsAsync(misdirected, LeaseId.From(lease), w.Jwt, 10, default));
        Assert.Equal(ProviderErrorKind.Unauthorized, logsRefused.Kind);

        // B's own token: the whole flow.
        await w.Api.SendManifestAsync(b, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);
        Assert.Equal(1, w["b"].Counters.ManifestsAccepted);
        var status = await Eventually.ValueAsync(async () =>
        {
            var s = await w.Api.GetLeaseStatusAsync(b, LeaseId.From(lease), w.Jwt, default);
            return s.AllServicesReady ? s : null;
        }, "lease status ready");
        Assert.True(status.AllServicesReady);
        await w.Api.GetLogsAsync(b, LeaseId.From(lease), w.Jwt, 10, default);

        // And the token B got works at B on the wire, while A's never did.
        var forB = new ProviderTokens().For((JwtAuth)w.Jwt, b.Address);
        Assert.Equal(200, (await RawProvider.SendAsync(b, HttpMethod.Get, statusPath, forB)).Status);
    }

    private static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
}
