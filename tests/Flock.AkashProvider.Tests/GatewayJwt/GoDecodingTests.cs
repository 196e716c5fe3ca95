using Flock.Sandbox.AkashProvider.Gateway;
using Flock.Sandbox.AkashProvider.Gateway.Jwt;
using static Flock.AkashProvider.Tests.TokenForge;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Tokens whose fate hangs on how Go decodes them (encoding/json into chain-sdk's Claims, golang-jwt's NumericDate and
/// base64): the simulator must take what the provider takes and refuse what it cannot decode (401, before any rule).
/// </summary>
public sealed class GoDecodingTests : IDisposable
{
    private readonly Flock.Akash.Crypto.Wallet _owner = World.NewWallet("go-decoding-owner").Wallet;
    private readonly long _now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task Member_names_match_case_insensitively_and_the_last_duplicate_wins()
    {
        var upper = $$"""{"ISS":"{{_owner.Address}}","Iat":{{_now}},"NBF":{{_now}},"eXp":{{_now + 60}},"Version":"v1","LEASES":{"Access":"full"} }""";
        Assert.Equal(_now + 60, Accepted(await Check(upper)).ExpiresAt);

        // U+017F (long s) folds onto s in Go; U+0130 (capital I with dot) does not fold onto i.
        var longS = Claims(_owner.Address, _now, _now, _now + 60).Replace("\"leases\"", "\"lea\u017Fes\"", StringComparison.Ordinal);
        Assert.Equal(AccessType.Full, Accepted(await Check(longS)).Leases.Access);
        var dotted = Claims(_owner.Address, _now, _now, _now + 60).Replace("\"iss\"", "\"\u0130ss\"", StringComparison.Ordinal);
        Refused(await Check(dotted), AuthError.JwtInvalid, "invalid issuer");

        var duplicate = Claims(_owner.Address, _now, _now, _now + 60, extra: $",\"EXP\":{_now - 60}");
        Refused(await Check(duplicate), AuthError.InvalidClaims, "token is expired");
    }

    [Theory]
    [InlineData("\"{0}\"", true)] // json.Number takes a string holding a number
    [InlineData("{0}.9", true)] // fractions truncate to the second
    [InlineData("{0}e0", true)]
    [InlineData("\"soon\"", false)]
    [InlineData("true", false)]
    [InlineData("1e400", false)] // out of float64 range
    public async Task Exp_decodes_as_golang_jwt_NumericDate(string format, bool decodes)
    {
        var exp = string.Format(System.Globalization.CultureInfo.InvariantCulture, format, _now + 60);
        var token = $$"""{"iss":"{{_owner.Address}}","iat":{{_now}},"nbf":{{_now}},"exp":{{exp}},"version":"v1","leases":{"access":"full"} }""";
        if (decodes)
        {
            Assert.Equal(_now + 60, Accepted(await Check(token)).ExpiresAt);
        }
        else
        {
            Refused(await Check(token), AuthError.JwtInvalid, "could not JSON decode claim");
        }
    }

    [Fact]
    public async Task A_null_time_is_a_missing_claim_and_a_wrong_type_anywhere_is_undecodable()
    {
        Refused(await Check(Claims(_owner.Address, _now, _now, _now + 60).Replace($"\"nbf\":{_now}", "\"nbf\":null", StringComparison.Ordinal)), AuthError.InvalidClaims, "missing not before");
        foreach (var broken in new[]
        {
            Claims(_owner.Address, _now, _now, _now + 60, extra: ",\"sub\":5"),
            Claims(_owner.Address, _now, _now, _now + 60, extra: ",\"jti\":[\"x\"]"),
            Claims(_owner.Address, _now, _now, _now + 60).Replace("\"v1\"", "1", StringComparison.Ordinal),
            Claims(_owner.Address, _now, _now, _now + 60, "\"full\""),
            Claims(_owner.Address, _now, _now, _now + 60, """{"access":"scoped","scope":"status"}"""),
        })
        {
            Refused(await Check(broken), AuthError.JwtInvalid, "could not JSON decode claim");
        }

        // Unknown members are ignored, however deep; a null scope item is Go's zero value "", which the rules then refuse.
        Accepted(await Check(Claims(_owner.Address, _now, _now, _now + 60, extra: ",\"nonce\":{\"a\":[1,2]}")));
        Accepted(await Check(Claims(_owner.Address, _now, _now, _now + 60, extra: ",\"deep\":" + new string('[', 100) + new string(']', 100))));
        Refused(await Check(Claims(_owner.Address, _now, _now, _now + 60, """{"access":"scoped","scope":["status",null]}""")), AuthError.InvalidClaims, "invalid scope ");
    }

    [Fact]
    public async Task Permission_providers_and_sequence_numbers_decode_as_their_go_types()
    {
        using var providerWallet = World.NewWallet("go-decoding-provider").Wallet;
        var providerAddress = providerWallet.Address;
        var cosmos = Flock.Akash.Crypto.Bech32.Encode("cosmos", Flock.Akash.Crypto.Wallet.AddressBytes(providerWallet.PublicKey));
        Assert.Equal(providerAddress, AkashAddress.Canonical(providerAddress.ToUpperInvariant()));
        string Granular(string provider, string deployment) =>
            Claims(_owner.Address, _now, _now, _now + 60, $$"""{"access":"granular","permissions":[{"provider":{{provider}},"access":"granular","deployments":[{{deployment}}]}]}""");
        var valid = Accepted(await Check(Granular($"\"{providerAddress.ToUpperInvariant()}\"", """{"dseq":5,"gseq":4294967295,"scope":["status"],"services":["web"]}""")));
        var permission = Assert.Single(valid.Leases.Permissions!);
        Assert.Equal(providerAddress, permission.Provider); // an AccAddress prints lower case
        Assert.Equal(4294967295U, Assert.Single(permission.Deployments!).Gseq);

        foreach (var (provider, deployment) in new[]
        {
            ($"\"{cosmos}\"", """{"dseq":5,"scope":["status"],"services":["web"]}"""),
            ("\" \"", """{"dseq":5,"scope":["status"],"services":["web"]}"""),
            ($"\"{providerAddress}\"", """{"dseq":5.0,"scope":["status"],"services":["web"]}"""),
            ($"\"{providerAddress}\"", """{"dseq":-5,"scope":["status"],"services":["web"]}"""),
            ($"\"{providerAddress}\"", """{"dseq":"5","scope":["status"],"services":["web"]}"""),
            ($"\"{providerAddress}\"", """{"dseq":5,"gseq":4294967296,"scope":["status"],"services":["web"]}"""),
        })
        {
            Refused(await Check(Granular(provider, deployment)), AuthError.JwtInvalid, "could not JSON decode claim");
        }

        // An empty provider decodes (AccAddress leaves "" empty) and is refused by the rules instead.
        Refused(await Check(Granular("\"\"", """{"dseq":5,"scope":["status"],"services":["web"]}""")), AuthError.InvalidClaims, "empty provider");
    }

    [Theory]
    [InlineData("a.b")]
    [InlineData("a.b.c.d")]
    [InlineData("eyJhbGciOiJFUzI1NksifQ==.e30.AA")] // '=' is not in the raw URL alphabet
    [InlineData("eyJhbGciOiJFUzI1NksifQ.e30+.AA")]
    [InlineData("eyJhbGciOiJFUzI1NksifQ.e30.A")] // a lone sextet
    [InlineData("eyJhbGciOiJFUzI1NksifQ.bm90IGpzb24.AA")] // "not json"
    [InlineData("eyJhbGciOiJFUzI1NksifQ.WzFd.AA")] // claims [1]
    public async Task Malformed_tokens_are_401_before_any_key_lookup(string token)
    {
        var lookups = 0;
        var verifier = new ProviderJwtVerifier((_, _) => { lookups++; return Task.FromResult<byte[]?>(_owner.PublicKey); }, new FixedClock(DateTimeOffset.UtcNow));
        var verdict = await verifier.VerifyAsync(token, default);
        Assert.Equal(AuthError.JwtInvalid, verdict.Error);
        Assert.Equal(0, lookups);
    }

    [Fact]
    public async Task Segments_decode_as_gos_lenient_raw_url_base64()
    {
        var token = Es256K(_owner, Claims(_owner.Address, _now, _now, _now + 60));
        var parts = token.Split('.');

        // Line breaks are skipped by Go's decoder; they stay in the signing input, so the signature no longer matches.
        Refused(await Verifier().VerifyAsync($"{parts[0]}.{parts[1][..4]}\n{parts[1][4..]}.{parts[2]}", default), AuthError.JwtInvalid, "token signature is invalid");
        Assert.True(RawUrlBase64.TryDecode("QQ\r\n", out var a) && a.SequenceEqual("A"u8.ToArray()));

        // Bits after the last byte are ignored (only base64's Strict mode refuses them): "QR" is "A" too.
        Assert.True(RawUrlBase64.TryDecode("QR", out var b) && b.SequenceEqual("A"u8.ToArray()));
        Assert.False(RawUrlBase64.TryDecode("QQ==", out _));
        Accepted(await Verifier().VerifyAsync(token, default));
    }

    public void Dispose() => _owner.Dispose();

    private Task<JwtVerdict> Check(string claimsJson) => Verifier().VerifyAsync(Es256K(_owner, claimsJson), default);

    private ProviderJwtVerifier Verifier() => new(
        (address, _) => Task.FromResult(address == _owner.Address ? _owner.PublicKey : null),
        new FixedClock(DateTimeOffset.FromUnixTimeSeconds(_now + 1)));

    private static AuthClaims Accepted(JwtVerdict verdict)
    {
        Assert.True(verdict.Error is null, $"refused: {verdict.Reason}");
        return verdict.Claims!;
    }

    private static void Refused(JwtVerdict verdict, AuthError error, string reason)
    {
        Assert.Equal(error, verdict.Error);
        Assert.Contains(reason, verdict.Reason, StringComparison.Ordinal);
    }
}
