using System.Numerics;
using System.Text;
using Flock.Akash.ProviderApi;

namespace Flock.AkashProvider.Tests;

/// <summary>Token parsing, verification and the claim rules of chain-sdk go/util/jwt/jwt.go (pure logic).</summary>
public sealed class JwtRulesTests : IDisposable
{
    private static readonly BigInteger CurveOrder = BigInteger.Parse("115792089237316195423570985008687907852837564279074904382605163141518161494337", System.Globalization.CultureInfo.InvariantCulture);
    private readonly Flock.Akash.Crypto.Wallet _owner = World.NewWallet("jwt-rules-owner").Wallet;
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public void A_signed_token_verifies_with_the_issuers_key_and_nothing_else()
    {
        var token = ProviderJwt.Issue(_owner, JwtLeases.Scoped([JwtScopes.Status]), TimeSpan.FromMinutes(15));
        var claims = ProviderJwt.Parse(token).Verify(_owner.PublicKey, DateTimeOffset.UtcNow);
        Assert.Equal(_owner.Address, claims.Issuer);
        Assert.Equal(claims.IssuedAt + (15 * 60), claims.ExpiresAt);
        Assert.Equal("{\"alg\":\"ES256K\",\"typ\":\"JWT\"}", Encoding.UTF8.GetString(Convert.FromBase64String(token.Split('.')[0] + "==")));

        using var other = World.NewWallet("jwt-rules-other").Wallet;
        Assert.Equal(JwtFailure.SignatureInvalid, Assert.Throws<JwtException>(() => ProviderJwt.Parse(token).Verify(other.PublicKey, DateTimeOffset.UtcNow)).Failure);
    }

    [Fact]
    public void A_high_s_twin_of_a_valid_signature_is_refused()
    {
        var token = ProviderJwt.Issue(_owner, JwtLeases.Full, TimeSpan.FromMinutes(5));
        var parts = token.Split('.');
        var sig = Convert.FromBase64String(parts[2].Replace('-', '+').Replace('_', '/') + "=="); // 64 bytes: 86 characters + 2 padding
        var s = new BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var high = (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        var malleated = sig[..32].Concat(new byte[32 - high.Length]).Concat(high).ToArray();
        var forged = $"{parts[0]}.{parts[1]}.{Convert.ToBase64String(malleated).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        Assert.Equal(JwtFailure.SignatureInvalid, Assert.Throws<JwtException>(() => ProviderJwt.Parse(forged).Verify(_owner.PublicKey, DateTimeOffset.UtcNow)).Failure);
    }

    [Theory]
    [InlineData("a.b", JwtFailure.Malformed)]
    [InlineData("e30.e30.", JwtFailure.Malformed)] // header {} has no alg
    [InlineData("eyJhbGciOiJIUzI1NiJ9.e30.AA", JwtFailure.SignatureInvalid)] // HS256: the method check comes before any claim check
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJpYXQiOjEsIm5iZiI6MSwiZXhwIjoyfQ.AA", JwtFailure.SignatureInvalid)] // HS256 is not allowed
    [InlineData("eyJhbGciOiJFUzI1NksifQ.bm90IGpzb24.AA", JwtFailure.Malformed)] // payload "not json"
    [InlineData("eyJhbGciOiJFUzI1NksifQ==.e30.AA", JwtFailure.Malformed)] // padding is not base64url-raw
    public void Malformed_tokens_are_classified_as_the_gateway_does(string token, JwtFailure expected)
    {
        Assert.Equal(expected, Assert.Throws<JwtException>(() => ProviderJwt.Parse(token)).Failure);
    }

    [Fact]
    public void Claims_break_the_schema_rules_with_the_go_messages()
    {
        JwtClaims Claims(JwtLeases leases, string version = "v1") => new(_owner.Address, _now, _now, _now + 60, leases, version);
        Assert.Null(Claims(JwtLeases.Full).Validate());
        Assert.Equal("invalid version", Claims(JwtLeases.Full, "v2").Validate());
        Assert.Equal("full access cannot have scope set", Claims(new JwtLeases("full", ["status"])).Validate());
        Assert.Equal("scope access must have scope set", Claims(new JwtLeases("scoped", [])).Validate());
        Assert.Equal("invalid scope delete-everything", Claims(JwtLeases.Scoped(["status", "delete-everything"])).Validate());
        Assert.Equal("duplicate scope logs", Claims(JwtLeases.Scoped(["logs", "logs"])).Validate());
        Assert.Equal("invalid access type 'root'", Claims(new JwtLeases("root")).Validate());
        Assert.Equal("invalid issuer", (Claims(JwtLeases.Full) with { Issuer = "cosmos1notakash" }).Validate());
        Assert.Equal("gseq must be set if oseq is set", Claims(new JwtLeases("granular", Permissions:
            [new JwtPermission(_owner.Address, "granular", Deployments: [new JwtDeploymentPermission(5, ["status"], ["web"], Oseq: 1)])])).Validate());

        Assert.Throws<ArgumentException>(() => ProviderJwt.Sign(_owner, Claims(JwtLeases.Scoped(["nope"]))));
        Assert.Throws<ArgumentException>(() => ProviderJwt.Sign(_owner, Claims(JwtLeases.Full) with { Issuer = World.NewWallet("x").Wallet.Address }));

        // Missing times are invalid claims, but only once the signature checked out (golang-jwt's order).
        var token = ProviderJwt.Issue(_owner, JwtLeases.Full, TimeSpan.FromMinutes(5));
        var noExp = RawProvider.Tamper(token, json => System.Text.RegularExpressions.Regex.Replace(json, "\"exp\":\\d+,", string.Empty));
        Assert.Equal(JwtFailure.SignatureInvalid, Assert.Throws<JwtException>(() => ProviderJwt.Parse(noExp).Verify(_owner.PublicKey, DateTimeOffset.UtcNow)).Failure);
        Assert.Equal("missing expiration time", ProviderJwt.Parse(noExp).Claims.Validate());

        var notYet = ProviderJwt.Sign(_owner, new JwtClaims(_owner.Address, _now, _now + 3600, _now + 7200, JwtLeases.Full));
        Assert.Equal(JwtFailure.InvalidClaims, Assert.Throws<JwtException>(() => ProviderJwt.Parse(notYet).Verify(_owner.PublicKey, DateTimeOffset.UtcNow)).Failure);
    }

    [Fact]
    public void Granular_permissions_reach_only_the_named_provider_deployment_and_scope()
    {
        const string provider = "akash1provider";
        var claims = new JwtClaims(_owner.Address, _now, _now, _now + 60, new JwtLeases("granular", Permissions:
        [
            new JwtPermission(provider, "granular", Deployments: [new JwtDeploymentPermission(5, [JwtScopes.Status, JwtScopes.Logs], ["web"], Gseq: 1)]),
            new JwtPermission("akash1other", "scoped", Scope: [JwtScopes.SendManifest]),
        ]));
        Assert.True(claims.ForProvider(provider));
        Assert.False(claims.ForProvider("akash1third"));
        Assert.True(claims.ForLease(_owner.Address, 5, 1, 3, provider, JwtScopes.Status));
        Assert.False(claims.ForLease(_owner.Address, 5, 2, 1, provider, JwtScopes.Status));
        Assert.False(claims.ForLease(_owner.Address, 6, 1, 1, provider, JwtScopes.Status));
        Assert.False(claims.ForDeployment(_owner.Address, 5, provider, JwtScopes.SendManifest));
        Assert.True(claims.ForDeployment(_owner.Address, 9, "akash1other", JwtScopes.SendManifest));
        Assert.False(claims.ForDeployment("akash1someoneelse", 9, "akash1other", JwtScopes.SendManifest));
    }

    public void Dispose() => _owner.Dispose();
}
