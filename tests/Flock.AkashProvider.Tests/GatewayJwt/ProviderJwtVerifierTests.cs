using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider.Gateway;
using Flock.Sandbox.AkashProvider.Gateway.Jwt;
using static Flock.AkashProvider.Tests.TokenForge;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// The simulator's own token check (Gateway/Jwt) against tokens from both independent makers — the operator's
/// ProviderJwt and chain-sdk's JwtTokenManager — and against broken tokens, with the provider's answer and reason.
/// </summary>
public sealed class ProviderJwtVerifierTests(ReferenceTokens t) : IClassFixture<ReferenceTokens>
{
    private static readonly BigInteger Order = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture);
    private int _lookups;

    [Fact]
    public async Task Tokens_of_the_operators_ProviderJwt_are_accepted_and_read_back_field_by_field()
    {
        var scoped = ProviderJwt.Sign(t.Owner, new JwtClaims(t.Owner.Address, t.Now, t.Now, t.Now + 600, JwtLeases.Scoped([JwtScopes.Status, JwtScopes.Logs]), Id: "token-1"));
        var claims = Accepted(await Check(scoped));
        Assert.Equal((t.Owner.Address, t.Owner.Address, t.Now, t.Now, t.Now + 600, "v1", "token-1"), (claims.Issuer, claims.Owner, claims.IssuedAt, claims.NotBefore, claims.ExpiresAt, claims.Version, claims.Id));
        Assert.Equal(AccessType.Scoped, claims.Leases.Access);
        Assert.Equal(["status", "logs"], claims.Leases.Scope!);
        Assert.Null(claims.Leases.Permissions);

        var granular = ProviderJwt.Sign(t.Owner, new JwtClaims(t.Owner.Address, t.Now, t.Now, t.Now + 600, new JwtLeases(JwtAccess.Granular, Permissions:
            [new JwtPermission(t.Provider, JwtAccess.Granular, Deployments: [new JwtDeploymentPermission(42, [JwtScopes.Status], ["web", "db"], Gseq: 1, Oseq: 2)])])));
        var permission = Assert.Single(Accepted(await Check(granular)).Leases.Permissions!);
        Assert.Equal((t.Provider, AccessType.Granular), (permission.Provider, permission.Access));
        var deployment = Assert.Single(permission.Deployments!);
        Assert.Equal((42UL, 1U, 2U), (deployment.Dseq, deployment.Gseq, deployment.Oseq));
        Assert.Equal(["web", "db"], deployment.Services!);
    }

    [Fact]
    public async Task Tokens_of_chain_sdk_are_accepted_in_both_signing_methods()
    {
        foreach (var (token, alg) in new[] { (t.ScopedEs256K, JwtParts.Es256K), (t.ScopedAdr36, JwtParts.Es256KAdr36), (t.GranularAdr36, JwtParts.Es256KAdr36) })
        {
            Assert.Equal(alg, JwtParts.Parse(token).Parts!.Algorithm);
            var claims = Accepted(await Check(token));
            Assert.Equal(t.Owner.Address, claims.Issuer);
            Assert.Equal(t.Now + 900, claims.ExpiresAt);
        }

        var permission = Assert.Single(Accepted(await Check(t.GranularAdr36)).Leases.Permissions!);
        Assert.Equal(ReferenceTokens.GranularDseq, Assert.Single(permission.Deployments!).Dseq);
    }

    [Fact]
    public async Task Exp_and_nbf_are_judged_on_the_providers_clock_to_the_second_and_answered_400()
    {
        foreach (var token in new[] { t.ScopedEs256K, t.ScopedAdr36 })
        {
            Accepted(await Check(token, at: t.Now));
            Accepted(await Check(token, at: t.Now + 899));
            Refused(await Check(token, at: t.Now + 900), AuthError.InvalidClaims, "token is expired");
            Refused(await Check(token, at: t.Now - 1), AuthError.InvalidClaims, "token is not valid yet");
        }
    }

    [Fact]
    public async Task A_changed_payload_breaks_either_signature()
    {
        var operatorToken = ProviderJwt.Sign(t.Owner, new JwtClaims(t.Owner.Address, t.Now, t.Now, t.Now + 600, JwtLeases.Scoped([JwtScopes.Status])));
        foreach (var token in new[] { operatorToken, t.ScopedEs256K, t.ScopedAdr36 })
        {
            Accepted(await Check(token));
            var widened = WithPayload(token, json => json.Replace("\"status\"", "\"shell\"", StringComparison.Ordinal));
            Assert.NotEqual(token, widened);
            Refused(await Check(widened), AuthError.JwtInvalid, "token signature is invalid");
        }
    }

    [Fact]
    public async Task A_token_is_refused_under_any_key_but_its_issuers()
    {
        // The right token checked with another account's key ...
        Refused(await Verifier(t.Now + 1, key: t.Stranger.PublicKey).VerifyAsync(t.ScopedAdr36, default), AuthError.JwtInvalid, "token signature is invalid");
        Refused(await Verifier(t.Now + 1, key: t.Stranger.PublicKey).VerifyAsync(t.ScopedEs256K, default), AuthError.JwtInvalid, "token signature is invalid");

        // ... and a token naming the owner but signed by someone else.
        var claims = Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60);
        Accepted(await Check(Es256K(t.Owner, claims)));
        Refused(await Check(Es256K(t.Stranger, claims)), AuthError.JwtInvalid, "token signature is invalid");
    }

    [Fact]
    public async Task A_high_s_twin_and_signatures_of_the_wrong_length_are_refused()
    {
        var token = Es256K(t.Owner, Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60));
        Accepted(await Check(token));
        var signature = Unb64(token.Split('.')[2]);
        var s = new BigInteger(signature.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var highS = (Order - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var twin = signature[..32].Concat(new byte[32 - highS.Length]).Concat(highS).ToArray();

        // The twin is a valid ECDSA signature; only cosmos-sdk's lower-S rule refuses it.
        Assert.True(NBitcoin.Crypto.ECDSASignature.TryParseFromCompact(twin, out _));
        Refused(await Check(WithSignature(token, twin)), AuthError.JwtInvalid, "token signature is invalid");
        Refused(await Check(WithSignature(token, [.. signature, 0])), AuthError.JwtInvalid, "token signature is invalid");
        Refused(await Check(WithSignature(token, signature[..63])), AuthError.JwtInvalid, "token signature is invalid");
    }

    [Theory]
    [InlineData("""{"alg":"none","typ":"JWT"}""", "signing method none is invalid")]
    [InlineData("""{"alg":"HS256","typ":"JWT"}""", "signing method HS256 is invalid")]
    [InlineData("""{"alg":"ES256","typ":"JWT"}""", "signing method ES256 is invalid")]
    [InlineData("""{"alg":"es256k","typ":"JWT"}""", "signing method es256k is invalid")]
    [InlineData("""{"typ":"JWT"}""", "signing method (alg) is unspecified")]
    [InlineData("""{"alg":7}""", "signing method (alg) is unspecified")]
    [InlineData("""["ES256K"]""", "could not JSON decode header")]
    public async Task Only_ES256K_and_ES256KADR36_are_allowed_and_others_fail_before_any_key_lookup(string header, string reason)
    {
        var claims = Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60);
        Accepted(await Check(Es256K(t.Owner, claims)));
        Assert.Equal(1, _lookups);

        // A valid secp256k1 signature under another alg, an HMAC for HS256 and an empty one for none: all 401.
        var input = B64(header) + "." + B64(claims);
        var signature = header.Contains("HS256", StringComparison.Ordinal) ? HMACSHA256.HashData("secret"u8, Encoding.ASCII.GetBytes(input))
            : header.Contains("none", StringComparison.Ordinal) ? [] : t.Owner.Sign(Encoding.ASCII.GetBytes(input));
        Refused(await Check(input + "." + B64(signature)), AuthError.JwtInvalid, reason);
        Assert.Equal(1, _lookups);
    }

    [Fact]
    public async Task Claim_rules_are_judged_after_the_signature_and_answered_400()
    {
        var rules = new (string Claims, string Reason)[]
        {
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60).Replace("\"v1\"", "\"v2\"", StringComparison.Ordinal), "invalid version"),
            ($$"""{"iss":"{{t.Owner.Address}}","nbf":{{t.Now}},"exp":{{t.Now + 60}},"version":"v1","leases":{"access":"full"} }""", "missing issued at"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, """{"access":"scoped","scope":["status"],"permissions":[]}"""), "scoped access cannot have permissions set"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, """{"access":"scoped","scope":["status","root"]}"""), "invalid scope root"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, """{"access":"scoped","scope":["logs","logs"]}"""), "duplicate scope logs"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, """{"access":"full","scope":["logs"]}"""), "full access cannot have scope set"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, """{"access":"admin"}"""), "invalid access type 'admin'"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, $$"""{"access":"granular","permissions":[{"provider":"{{t.Provider}}","access":"full"},{"provider":"{{t.Provider}}","access":"full"}]}"""), $"invalid permissions: duplicate provider {t.Provider}"),
            (Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, $$"""{"access":"granular","permissions":[{"provider":"{{t.Provider}}","access":"granular","deployments":[{"dseq":5,"oseq":1,"scope":["status"],"services":["web"]}]}]}"""), "invalid permissions: gseq must be set if oseq is set"),
        };
        foreach (var (claims, reason) in rules)
        {
            Refused(await Check(Es256K(t.Owner, claims)), AuthError.InvalidClaims, reason);

            // The same claims under a bad signature never reach the rules: 401, not 400.
            Refused(await Check(Es256K(t.Stranger, claims)), AuthError.JwtInvalid, "token signature is invalid");
        }
    }

    [Fact]
    public async Task Iat_and_aud_are_not_judged_because_the_provider_does_not_judge_them()
    {
        // golang-jwt checks iat only WithIssuedAt and aud only WithAudience; AuthProcess passes neither.
        var futureIat = Accepted(await Check(Es256K(t.Owner, Claims(t.Owner.Address, t.Now + 3600, t.Now, t.Now + 60)))).IssuedAt;
        Assert.Equal(t.Now + 3600, futureIat);
        var otherProvider = Accepted(await Check(Es256K(t.Owner, Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, extra: $",\"aud\":\"{t.Provider}\""))));
        Assert.Equal([t.Provider], otherProvider.Audience!);
        var list = Accepted(await Check(Es256K(t.Owner, Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, extra: ",\"aud\":[\"a\",\"b\"]"))));
        Assert.Equal(["a", "b"], list.Audience!);

        // But aud must still decode as ClaimStrings.
        Refused(await Check(Es256K(t.Owner, Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, extra: ",\"aud\":5"))), AuthError.JwtInvalid, "could not JSON decode claim");
        Refused(await Check(Es256K(t.Owner, Claims(t.Owner.Address, t.Now, t.Now, t.Now + 60, extra: ",\"aud\":[\"a\",1]"))), AuthError.JwtInvalid, "could not JSON decode claim");
    }

    [Fact]
    public async Task Issuers_without_a_key_or_outside_akash_are_unverifiable()
    {
        var cosmos = Flock.Akash.Crypto.Bech32.Encode("cosmos", Flock.Akash.Crypto.Wallet.AddressBytes(t.Owner.PublicKey)); // the owner's bytes, wrong prefix
        Refused(await Check(Es256K(t.Owner, Claims(cosmos, t.Now, t.Now, t.Now + 60))), AuthError.JwtInvalid, "invalid issuer");
        Refused(await Check(Es256K(t.Owner, Claims(t.Owner.Address[..^1] + (t.Owner.Address[^1] == 'q' ? 'p' : 'q'), t.Now, t.Now, t.Now + 60))), AuthError.JwtInvalid, "invalid issuer");
        Assert.Equal(0, _lookups);

        // A valid address whose account has no key on chain.
        Refused(await Check(Es256K(t.Stranger, Claims(t.Stranger.Address, t.Now, t.Now, t.Now + 60))), AuthError.JwtInvalid, "no public key");
        Assert.Equal(1, _lookups);
    }

    private static AuthClaims Accepted(JwtVerdict verdict)
    {
        Assert.True(verdict.Error is null, $"refused: {verdict.Reason}");
        return verdict.Claims!;
    }

    private static void Refused(JwtVerdict verdict, AuthError error, string reason)
    {
        Assert.Null(verdict.Claims);
        Assert.Equal(error, verdict.Error);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }

    private Task<JwtVerdict> Check(string token, long? at = null) => Verifier(at ?? (t.Now + 1)).VerifyAsync(token, default);

    /// <summary>A verifier at <paramref name="at"/> that knows only the owner's account (with <paramref name="key"/>, the owner's by default).</summary>
    private ProviderJwtVerifier Verifier(long at, byte[]? key = null) => new(
        (address, _) =>
        {
            _lookups++;
            return Task.FromResult(address == t.Owner.Address ? key ?? t.Owner.PublicKey : null);
        },
        new FixedClock(DateTimeOffset.FromUnixTimeSeconds(at)));
}
