using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.ProviderApi;
using Flock.Akash.Sdl;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Lease = Flock.Akash.Protos.MarketV1.Lease;

namespace Flock.Operator.Backends.Akash;

/// <summary>What the provider side of a lease looks like after a pass.</summary>
/// <param name="Ready">Every service of the lease runs and is available.</param>
/// <param name="ReplaceLease">The provider failed the lease for good (unreachable past the grace period, manifest refused): close it and lease elsewhere.</param>
public sealed record ProviderSyncResult(AkashStatus Status, bool Ready, WorkloadProblem? Problem, bool ReplaceLease);

/// <summary>
/// The provider's half of a lease: the manifest goes to the provider's host_uri (PUT /deployment/{dseq}/manifest, the
/// provider's server certificate pinned to its on-chain ones, an ES256K JWT from the account key naming only that provider), once per lease and
/// manifest version (status.akash.manifestSent, so a retry after a crash sends it again only if it may not have
/// arrived — the provider accepts the same manifest twice); then the lease status gives readiness and URIs. A provider
/// that stays unreachable past the grace period, or refuses the manifest, is given up so another one can take the work.
/// </summary>
public sealed class ProviderLeaseSync(AkashChainClient chain, ProviderClient providers, AkashOptions options, TimeProvider time)
{
    /// <param name="serviceName">The worker's service in the SDL: only its readiness counts (a provider may report others).</param>
    public async Task<ProviderSyncResult> SyncAsync(Wallet wallet, Lease lease, CompiledSdl compiled, string serviceName, AkashStatus status, CancellationToken ct)
    {
        var id = lease.Id;
        var leaseId = new LeaseId(id.Dseq, id.Gseq, id.Oseq);
        var sentKey = $"{id.Dseq}/{id.Gseq}/{id.Oseq}/{id.Provider}@{Convert.ToHexStringLower(compiled.Version)[..16]}";
        var auth = ProviderAuth.Jwt(wallet, JwtScopes.Operator);
        try
        {
            var endpoint = await ProviderEndpoint.ResolveAsync(chain, id.Provider, ct).ConfigureAwait(false);
            if (status.ManifestSent != sentKey)
            {
                await providers.SendManifestAsync(endpoint, id.Dseq, compiled.ManifestJson, auth, ct).ConfigureAwait(false);
                status = status with { ManifestSent = sentKey };
            }

            LeaseStatus observed;
            try
            {
                observed = await providers.GetLeaseStatusAsync(endpoint, leaseId, auth, ct).ConfigureAwait(false);
            }
            catch (ProviderException e) when (e.Kind == ProviderErrorKind.LeaseNotFound)
            {
                // The provider no longer knows the lease's manifest (it restarted, or the send was lost): send it again.
                await providers.SendManifestAsync(endpoint, id.Dseq, compiled.ManifestJson, auth, ct).ConfigureAwait(false);
                observed = await providers.GetLeaseStatusAsync(endpoint, leaseId, auth, ct).ConfigureAwait(false);
            }

            status = status with
            {
                ProviderUnreachableSince = null,
                Uris = Uris(observed) is { Count: > 0 } uris ? uris : null,
            };
            return observed.Services.TryGetValue(serviceName, out var service) && service.IsReady
                ? new ProviderSyncResult(status, true, null, false)
                : new ProviderSyncResult(status, false, new WorkloadProblem("WorkloadStarting",
                    $"provider {id.Provider} has the manifest; the worker is starting ({Progress(observed)})", Fatal: false), false);
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.LeaseNotFound)
        {
            // The provider has not seen the lease's block yet (it follows the chain by polling or events): not a failure.
            // If it never does, its own manifest timeout closes the lease and the group is leased again.
            return new ProviderSyncResult(status with { ManifestSent = null }, false, new WorkloadProblem("WorkloadStarting",
                $"provider {id.Provider} does not know lease {id.Dseq}/{id.Gseq}/{id.Oseq} yet; the manifest is sent again in the next pass", Fatal: false), false);
        }
        catch (ProviderException e) when (e.Kind == ProviderErrorKind.ManifestRejected)
        {
            return new ProviderSyncResult(status with { ManifestSent = null }, false, new WorkloadProblem("ManifestRejected",
                $"provider {id.Provider} refused the manifest ({e.Message}); the lease is closed and another provider will be chosen", Fatal: false), true);
        }
        catch (ProviderException e)
        {
            var now = time.GetUtcNow();
            var since = status.ProviderUnreachableSince ?? now;
            var lost = now - since >= TimeSpan.FromSeconds(options.ProviderGraceSeconds);
            var problem = new WorkloadProblem("ProviderUnreachable", lost
                ? $"provider {id.Provider} has not answered since {since:u} ({e.Kind}: {e.Message}); the lease is closed and another provider will be chosen"
                : $"provider {id.Provider} does not answer ({e.Kind}: {e.Message}); retrying, and the lease is replaced if this lasts {options.ProviderGraceSeconds:0} s from {since:u}",
                Fatal: false);
            return new ProviderSyncResult(status with { ProviderUnreachableSince = since }, false, problem, lost);
        }
    }

    private static List<string> Uris(LeaseStatus status) =>
        status.Services.Values.SelectMany(s => s.Uris ?? [])
            .Concat(status.ForwardedPorts.Values.SelectMany(ports => ports.Select(p => $"{p.Proto.ToLowerInvariant()}://{p.Host}:{p.ExternalPort}")))
            .Distinct(StringComparer.Ordinal).Take(16).ToList();

    private static string Progress(LeaseStatus status) =>
        status.Services.Count == 0
            ? "no service reported yet"
            : string.Join(", ", status.Services.Values.Select(s => $"{s.Name} {s.Available}/{s.Total} available"));
}
