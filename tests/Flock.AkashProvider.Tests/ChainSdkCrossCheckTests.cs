using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Flock.Akash.Chain;
using Flock.Akash.ProviderApi;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Our JWT and certificates judged by @akashnetwork/chain-sdk (JwtTokenManager, JwtValidator, CertificateManager)
/// and @cosmjs/crypto, run with node; and theirs accepted by our verifier, the chain simulator and a provider.
/// </summary>
public sealed class ChainSdkCrossCheckTests(LeasedWorld f) : IClassFixture<LeasedWorld>
{
    [Fact]
    public async Task Our_es256k_token_is_byte_identical_to_chain_sdks_and_theirs_verify_under_our_verifier()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JwtClaims(f.W.Owner.Address, now, now, now + 900, JwtLeases.Scoped(JwtScopes.Operator));
        var ours = ProviderJwt.Sign(f.W.Owner, claims);
        var reference = await NodeReference.RunAsync("provider-auth.cjs", new
        {
            mnemonic = f.W.OwnerMnemonic,
            claims = new { iss = claims.Issuer, iat = now, nbf = now, exp = now + 900, version = "v1", leases = new { access = "scoped", scope = JwtScopes.Operator } },
            ourToken = ours,
        });

        // Same sorted JSON, same RFC 6979 low-S signature: the very same token.
        Assert.Equal(reference.GetProperty("es256k").GetString(), ours);
        Assert.True(reference.GetProperty("ourTokenSchemaValid").GetBoolean(), reference.GetProperty("ourTokenSchemaErrors").ToString());
        Assert.True(reference.GetProperty("ourTokenSignatureValid").GetBoolean());

        // chain-sdk's TS default (ES256KADR36 via an amino wallet) verifies with the owner's public key ...
        var adr36 = reference.GetProperty("adr36").GetString()!;
        var parsed = ProviderJwt.Parse(adr36);
        Assert.Equal(ProviderJwt.Es256KAdr36, parsed.Algorithm);
        Assert.Equal(claims, parsed.Verify(f.W.Owner.PublicKey, DateTimeOffset.UtcNow) with { Leases = claims.Leases });
        Assert.Equal(JwtScopes.Operator, parsed.Claims.Leases.Scope);
        var (other, _) = World.NewWallet("someone-else");
        using (other)
        {
            Assert.Equal(JwtFailure.SignatureInvalid, Assert.Throws<JwtException>(() => parsed.Verify(other.PublicKey, DateTimeOffset.UtcNow)).Failure);
        }

        // ... and the simulated provider accepts both reference tokens on the wire.
        foreach (var token in new[] { reference.GetProperty("es256k").GetString()!, adr36 })
        {
            var (status, _) = await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, $"/lease/{f.ApiLease}/status", token);
            Assert.Equal(200, status);
        }
    }

    [Fact]
    public async Task The_operators_provider_bound_token_with_jti_is_byte_identical_to_chain_sdks_and_passes_its_schema()
    {
        // As the operator makes it (granular, naming the lease's provider, scoped, random jti), then remade by chain-sdk.
        var ours = new ProviderTokens().For((JwtAuth)f.W.Jwt, f.Lease.Provider);
        var c = ProviderJwt.Parse(ours).Claims;
        var reference = await NodeReference.RunAsync("provider-auth.cjs", new
        {
            mnemonic = f.W.OwnerMnemonic,
            claims = new
            {
                iss = c.Issuer, iat = c.IssuedAt, nbf = c.NotBefore, exp = c.ExpiresAt, version = "v1", jti = c.Id,
                leases = new { access = "granular", permissions = new[] { new { provider = f.Lease.Provider, access = "scoped", scope = JwtScopes.Operator } } },
            },
            ourToken = ours,
        });

        Assert.Equal(reference.GetProperty("es256k").GetString(), ours);
        Assert.True(reference.GetProperty("ourTokenSchemaValid").GetBoolean(), reference.GetProperty("ourTokenSchemaErrors").ToString());
        Assert.True(reference.GetProperty("ourTokenSignatureValid").GetBoolean());
        Assert.Equal(200, (await RawProvider.SendAsync(f.Endpoint, HttpMethod.Get, $"/lease/{f.ApiLease}/status", ours)).Status);
    }

    [Fact]
    public async Task Chain_sdk_reads_our_certificate_and_its_certificate_works_on_our_chain_and_provider()
    {
        using var ours = ClientCertificate.Create(f.W.Owner.Address, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(365));
        var reference = await NodeReference.RunAsync("provider-auth.cjs", new { ourCertPem = ours.CertificatePem, generateFor = f.W.Owner.Address });

        var parsed = reference.GetProperty("ourCert");
        Assert.Equal(BigInteger.Parse(ours.Serial, CultureInfo.InvariantCulture), BigInteger.Parse("0" + parsed.GetProperty("hSerial").GetString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal($"/CN={f.W.Owner.Address}/2.23.133.2.6=v0.0.1", parsed.GetProperty("sSubject").GetString());
        Assert.Equal(parsed.GetProperty("sSubject").GetString(), parsed.GetProperty("sIssuer").GetString());
        Assert.Equal(ours.Certificate.NotAfter.ToUniversalTime(), DateTime.Parse(parsed.GetProperty("expiresOn").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));
        // Serial = Unix nanoseconds at creation, as the Go key pair manager makes it.
        var created = DateTimeOffset.UnixEpoch.AddTicks((long)(BigInteger.Parse(ours.Serial, CultureInfo.InvariantCulture) / 100));
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        // A certificate made by chain-sdk's CertificateManager: the chain accepts it and the provider takes it for mTLS.
        var generated = reference.GetProperty("generated");
        await f.W.Submitter.SubmitAsync(f.W.Owner, [CertMessages.Create(f.W.Owner.Address, generated.GetProperty("cert").GetString()!, generated.GetProperty("publicKey").GetString()!)]);
        using var theirs = ClientCertificate.FromPem(generated.GetProperty("cert").GetString()!, generated.GetProperty("privateKey").GetString()!);
        var onChain = await f.W.Client.ListCertificatesAsync(f.W.Owner.Address, "valid", theirs.Serial);
        Assert.Single(onChain);
        var status = await f.W.Api.GetLeaseStatusAsync(f.Endpoint, f.ApiLease, ProviderAuth.Certificate(theirs.Certificate), default);
        Assert.True(status.AllServicesReady);
    }

    [Fact]
    public async Task The_chain_refuses_a_certificate_whose_key_or_common_name_does_not_match()
    {
        using var a = ClientCertificate.Create(f.W.Owner.Address);
        using var b = ClientCertificate.Create(f.W.Owner.Address);
        var swapped = await Assert.ThrowsAsync<Flock.Akash.Client.AkashSimulationException>(() =>
            f.W.Submitter.SubmitAsync(f.W.Owner, [CertMessages.Create(f.W.Owner.Address, a.CertificatePem, b.PublicKeyPem)]));
        Assert.Contains("invalid certificate value: invalid certificate signature", swapped.RawLog, StringComparison.Ordinal);

        var (other, _) = World.NewWallet("cn-thief");
        using var _ = other;
        using var foreign = ClientCertificate.Create(other.Address);
        var wrongCn = await Assert.ThrowsAsync<Flock.Akash.Client.AkashSimulationException>(() =>
            f.W.Submitter.SubmitAsync(f.W.Owner, [CertMessages.Create(f.W.Owner.Address, foreign.CertificatePem, foreign.PublicKeyPem)]));
        Assert.Contains("CommonName does not match owner", wrongCn.RawLog, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CertMessages.Create(f.W.Owner.Address, foreign));
    }
}
