using System.Diagnostics;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>ProviderClient's promises to the lease flow: pinning, typed failures, no secret in any output.</summary>
public sealed class ProviderClientTests
{
    [Fact]
    public async Task Manifest_errors_pinning_and_bad_status_bodies_become_typed_failures_without_secrets()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "p", StartDelay = TimeSpan.FromSeconds(30) });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        var endpoint = await w.EndpointAsync(lease.Provider);
        var id = LeaseId.From(lease);
        await Eventually.TrueAsync(() => w["p"].ActiveLeases == 1, "the provider noticed its lease");
        var failures = new List<ProviderException>();

        // Not found before a manifest: the provider has no workload for the lease yet.
        failures.Add(await Fails(ProviderErrorKind.LeaseNotFound, 404, () => w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default)));

        // A manifest that is not the deployed one (its hash differs from the on-chain version).
        var altered = d.Sdl.ManifestJson.Replace("\"TASK_ID=7\"", "\"TASK_ID=8\"", StringComparison.Ordinal);
        Assert.NotEqual(d.Sdl.ManifestJson, altered);
        var mismatch = await Fails(ProviderErrorKind.ManifestRejected, 422, () => w.Api.SendManifestAsync(endpoint, d.Dseq, altered, w.Jwt, default));
        Assert.Contains("manifest version validation failed", mismatch.Message, StringComparison.Ordinal);
        failures.Add(mismatch);
        failures.Add(await Fails(ProviderErrorKind.ManifestRejected, 422, () => w.Api.SendManifestAsync(endpoint, d.Dseq, "{\"not\":\"a manifest\"}", w.Jwt, default)));
        w["p"].Faults.RejectManifests = true;
        failures.Add(await Fails(ProviderErrorKind.ManifestRejected, 422, () => w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default)));
        w["p"].Faults.RejectManifests = false;
        Assert.Equal(0, w["p"].Counters.ManifestsAccepted);

        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);
        var starting = await w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default);
        Assert.False(starting.AllServicesReady);
        Assert.Equal(1, starting.Services["flock-train"].Total);
        Assert.Equal(0, starting.Services["flock-train"].ReadyReplicas);
        Assert.Empty(await w.Api.GetLogsAsync(endpoint, id, w.Jwt, 10, default)); // "no running pods" yet

        w["p"].Faults.MalformedStatus = true;
        var bad = await Fails(ProviderErrorKind.BadResponse, 200, () => w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default));
        Assert.Contains("cannot be read", bad.Message, StringComparison.Ordinal);
        failures.Add(bad);
        w["p"].Faults.MalformedStatus = false;

        // Someone else at the provider's address, with a certificate that is not on chain.
        w["p"].Faults.PresentUnpublishedCertificate = true;
        using (var fresh = new ProviderClient())
        {
            failures.Add(await Fails(ProviderErrorKind.UntrustedServerCertificate, null, () => fresh.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default)));
        }

        w["p"].Faults.PresentUnpublishedCertificate = false;
        var wrongPins = endpoint with { PinnedCertificatesDer = [w["p"].ServerCertificateDer.Reverse().ToArray()] };
        failures.Add(await Fails(ProviderErrorKind.UntrustedServerCertificate, null, () => w.Api.GetLeaseStatusAsync(wrongPins, id, w.Jwt, default)));

        var unknownLease = id with { Oseq = 9 };
        failures.Add(await Fails(ProviderErrorKind.LeaseNotFound, null, () => w.Api.GetLogsAsync(endpoint, unknownLease, w.Jwt, 10, default)));

        foreach (var e in failures)
        {
            Assert.Contains(lease.Provider, e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(World.SecretApiKey, e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", e.ToString(), StringComparison.Ordinal); // no JWT (base64url of '{"')
        }
    }

    /// <summary>
    /// The crash suite's manifest points: a PUT dropped on arrival reaches the sender as a broken connection and leaves
    /// the lease without a workload; a PUT whose answer is lost after acceptance leaves the workload running, and sending
    /// the same manifest again (what a restarted operator does) is accepted once more.
    /// </summary>
    [Fact]
    public async Task Manifest_hook_sees_the_put_on_arrival_and_after_acceptance_and_can_drop_it()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "hooked" });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        var endpoint = await w.EndpointAsync(lease.Provider);
        var id = LeaseId.From(lease);
        await Eventually.TrueAsync(() => w["hooked"].ActiveLeases == 1, "the provider noticed its lease");
        var seen = new List<ManifestArrival>();
        var drop = true;
        w["hooked"].Faults.ManifestHook = arrival =>
        {
            lock (seen) seen.Add(arrival);
            return Task.FromResult(!(drop && arrival.Point == ManifestPoint.Received));
        };

        await Fails(ProviderErrorKind.Unreachable, null, () => w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default));
        Assert.Equal([new ManifestArrival(ManifestPoint.Received, w.Owner.Address, d.Dseq)], seen);
        Assert.Equal(0, w["hooked"].Counters.ManifestsAccepted);
        await Fails(ProviderErrorKind.LeaseNotFound, 404, () => w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default));

        drop = false;
        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);
        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);
        Assert.Equal(
            [ManifestPoint.Received, ManifestPoint.Received, ManifestPoint.Accepted, ManifestPoint.Received, ManifestPoint.Accepted],
            seen.Select(a => a.Point));
        Assert.Equal(2, w["hooked"].Counters.ManifestsAccepted);
        Assert.Equal(1, (await w.Api.GetLeaseStatusAsync(endpoint, id, w.Jwt, default)).Services["flock-train"].Total);
    }

    [Fact]
    public async Task Every_call_is_an_activity_tagged_with_provider_dseq_and_status_but_no_credentials()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProviderTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(listener);

        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "traced" });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        var endpoint = await w.EndpointAsync(lease.Provider);
        await Eventually.TrueAsync(() => w["traced"].ActiveLeases == 1, "the provider noticed its lease");
        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt, default);
        await Assert.ThrowsAsync<ProviderException>(() => w.Api.GetLeaseStatusAsync(endpoint, LeaseId.From(lease) with { Gseq = 5 }, w.Jwt, default));

        List<Activity> mine;
        lock (activities)
        {
            mine = activities.Where(a => (string?)a.GetTagItem("akash.provider") == lease.Provider).ToList();
        }

        var put = Assert.Single(mine, a => a.DisplayName == "provider PUT manifest");
        Assert.Equal(d.Dseq.ToString(System.Globalization.CultureInfo.InvariantCulture), put.GetTagItem("akash.dseq"));
        Assert.Equal(200, put.GetTagItem("http.response.status_code"));
        var failed = Assert.Single(mine, a => a.DisplayName == "provider GET lease status");
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal(404, failed.GetTagItem("http.response.status_code"));
        foreach (var tag in mine.SelectMany(a => a.TagObjects))
        {
            var text = tag.Value?.ToString() ?? string.Empty;
            Assert.DoesNotContain(World.SecretApiKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain("eyJ", text, StringComparison.Ordinal);
        }
    }

    private static async Task<ProviderException> Fails(ProviderErrorKind kind, int? status, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<ProviderException>(call);
        Assert.True(kind == e.Kind, $"expected {kind}, got {e.Kind}: {e.Message}");
        Assert.Equal(status, e.StatusCode);
        return e;
    }
}
