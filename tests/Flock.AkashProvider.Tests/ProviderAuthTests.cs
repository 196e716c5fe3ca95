using System.Text.Json;
using Flock.Akash.Chain;
using Flock.Akash.ProviderApi;

namespace Flock.AkashProvider.Tests;

/// <summary>The provider API's authentication (research/akash.md §6): JWT or on-chain client certificate, never both.</summary>
public sealed class ProviderAuthTests(LeasedWorld f) : IClassFixture<LeasedWorld>
{
    [Fact]
    public async Task A_scoped_jwt_of_the_owner_reads_the_lease()
    {
        var status = await f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, f.W.Jwt, default);
        Assert.True(status.AllServicesReady);
    }

    [Fact]
    public async Task An_on_chain_client_certificate_of_the_owner_reads_the_lease_and_sends_the_manifest()
    {
        using var cert = await f.W.PublishCertificateAsync();
        var auth = ProviderAuth.Certificate(cert.Certificate);
        var status = await f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, auth, default);
        Assert.True(status.AllServicesReady);
        await f.W.Api.SendManifestAsync(f.Endpoint, f.Deployment.Dseq, f.Deployment.Sdl.ManifestJson, auth, default);
    }

    [Fact]
    public async Task A_token_without_the_needed_scope_is_unauthorized()
    {
        var statusOnly = ProviderAuth.Jwt(f.W.Owner, [JwtScopes.Status]);
        var e = await Assert.ThrowsAsync<ProviderException>(() =>
            f.W.Api.SendManifestAsync(f.Endpoint, f.Deployment.Dseq, f.Deployment.Sdl.ManifestJson, statusOnly, default));
        Assert.Equal(ProviderErrorKind.Unauthorized, e.Kind);
        Assert.Equal(401, e.StatusCode);
        Assert.Contains("unauthorized access", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_account_cannot_reach_the_owners_lease_by_jwt_or_certificate()
    {
        var (other, _) = World.NewWallet("other-owner");
        using var _ = other;
        await f.W.Chain.FundAsync(other.Address, 5_000_000, "uakt");
        using var otherCert = await f.W.PublishCertificateAsync(other); // also puts its public key on chain

        foreach (var auth in new[] { ProviderAuth.Jwt(other, JwtScopes.Operator), ProviderAuth.Certificate(otherCert.Certificate) })
        {
            // The gateway takes the owner from the credentials: owner/dseq of the other account has no lease here.
            var status = await Assert.ThrowsAsync<ProviderException>(() => f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, auth, default));
            Assert.Equal(ProviderErrorKind.LeaseNotFound, status.Kind);
            var manifest = await Assert.ThrowsAsync<ProviderException>(() =>
                f.W.Api.SendManifestAsync(f.Endpoint, f.Deployment.Dseq, f.Deployment.Sdl.ManifestJson, auth, default));
            Assert.Equal(500, manifest.StatusCode); // the provider looks up other/dseq on chain and finds no deployment
        }

        // A certificate that claims the owner's address but was never published by the owner dies in the handshake.
        using var forged = ClientCertificate.Create(f.W.Owner.Address);
        var refused = await Assert.ThrowsAsync<ProviderException>(() =>
            f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, ProviderAuth.Certificate(forged.Certificate), default));
        Assert.Equal(ProviderErrorKind.Unauthorized, refused.Kind);
        Assert.Contains("non-existing or revoked", f.Provider.LastTlsRejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_certificate_is_refused_in_the_handshake()
    {
        // The chain does not check dates: an expired certificate can be published, and providers must refuse it.
        using var expired = await f.W.PublishCertificateAsync(notBefore: DateTimeOffset.UtcNow.AddDays(-30), notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var e = await Assert.ThrowsAsync<ProviderException>(() =>
            f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, ProviderAuth.Certificate(expired.Certificate), default));
        Assert.Equal(ProviderErrorKind.Unauthorized, e.Kind);
        Assert.Null(e.StatusCode);
        Assert.Contains("expired", f.Provider.LastTlsRejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_revoked_certificate_is_refused_on_the_next_connection()
    {
        using var cert = await f.W.PublishCertificateAsync();
        using (var before = new ProviderClient())
        {
            await before.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, ProviderAuth.Certificate(cert.Certificate), default);
        }

        await f.W.Submitter.SubmitAsync(f.W.Owner, [CertMessages.Revoke(f.W.Owner.Address, cert.Serial)]);

        using var after = new ProviderClient();
        var e = await Assert.ThrowsAsync<ProviderException>(() =>
            after.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, ProviderAuth.Certificate(cert.Certificate), default));
        Assert.Equal(ProviderErrorKind.Unauthorized, e.Kind);
        Assert.Contains("non-existing or revoked", f.Provider.LastTlsRejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_down_provider_is_unreachable_not_unauthorized_even_with_a_certificate()
    {
        using var cert = await f.W.PublishCertificateAsync();
        await f.Provider.SetDownAsync(true);
        try
        {
            using var client = new ProviderClient();
            var e = await Assert.ThrowsAsync<ProviderException>(() =>
                client.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, ProviderAuth.Certificate(cert.Certificate), default));
            Assert.Equal(ProviderErrorKind.Unreachable, e.Kind);
            Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await f.Provider.SetDownAsync(false);
        }

        Assert.True((await f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, f.W.Jwt, default)).AllServicesReady);
    }

    [Fact]
    public async Task A_certificate_and_a_token_together_are_ambiguous()
    {
        using var cert = await f.W.PublishCertificateAsync();
        var token = ProviderJwt.Issue(f.W.Owner, JwtLeases.Full, TimeSpan.FromMinutes(5));
        var (status, body) = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, $"/lease/{f.ApiLease}/status", token, cert.Certificate);
        Assert.Equal(400, status);
        Assert.Equal("auth: ambiguous authentication. may not use mTLS and JWT at the same time", Message(body));
    }

    [Fact]
    public async Task Tampered_expired_foreign_and_missing_tokens_are_refused_with_the_gateways_codes()
    {
        var path = $"/lease/{f.ApiLease}/status";
        var token = ProviderJwt.Issue(f.W.Owner, JwtLeases.Full, TimeSpan.FromMinutes(5));
        Assert.Equal(200, (await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, path, token)).Status);

        // Signature no longer covers the payload.
        var tampered = RawProvider.Tamper(token, json => json.Replace("\"full\"", "\"scoped\",\"scope\":[\"shell\"]", StringComparison.Ordinal));
        Assert.Equal((401, "JWT is invalid"), Read(await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, path, tampered)));

        // Validly signed but expired: golang-jwt reports it as invalid claims, which the gateway maps to 400.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var expired = ProviderJwt.Sign(f.W.Owner, new JwtClaims(f.W.Owner.Address, now - 600, now - 600, now - 60, JwtLeases.Full));
        Assert.Equal((400, "JWT has invalid claims"), Read(await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, path, expired)));

        // Issued by an account that never signed a transaction: no public key on chain to verify with.
        var (fresh, _) = World.NewWallet("never-signed");
        using var __ = fresh;
        await f.W.Chain.FundAsync(fresh.Address, 1_000_000, "uakt");
        var unverifiable = ProviderJwt.Issue(fresh, JwtLeases.Full, TimeSpan.FromMinutes(5));
        Assert.Equal((401, "JWT is invalid"), Read(await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, path, unverifiable)));

        Assert.Equal((400, "invalid authorization header"), Read(await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, path, "Token " + token)));
        Assert.Equal((401, "unauthorized access"), Read(await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, path)));
        // The public endpoints need nothing.
        Assert.Equal(200, (await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, "/status")).Status);
    }

    private static (int, string) Read((int Status, string Body) r) => (r.Status, Message(r.Body));

    private static string Message(string body) => JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!;
}
