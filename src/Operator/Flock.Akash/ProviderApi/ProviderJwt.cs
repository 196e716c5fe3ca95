using System.Text;
using System.Text.Json;
using Flock.Akash.Crypto;
using Flock.Akash.Sdl;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// Provider API tokens signed with the account key (chain-sdk specs/jwt-schema.json, go/util/jwt/es256k.go):
/// header <c>{"alg":"ES256K","typ":"JWT"}</c>, claims as sorted JSON, both base64url without padding; the
/// signature is the Cosmos secp256k1 signature of the signing input (ECDSA over SHA-256, RFC 6979, 64-byte
/// r||s, low S), base64url. The provider verifies it with the on-chain public key of <c>iss</c>. A token is a
/// bearer credential: never log it or put it in an exception.
/// </summary>
public static class ProviderJwt
{
    /// <summary>secp256k1 over the signing input (what the Go provider client and our operator use).</summary>
    public const string Es256K = "ES256K";

    /// <summary>ADR-36 (signArbitrary) wrapping used by browser wallets and chain-sdk's TS default; verified, never produced here.</summary>
    public const string Es256KAdr36 = "ES256KADR36";

    /// <summary>Signs <paramref name="claims"/> with <paramref name="wallet"/>; the issuer must be the wallet's address and the claims valid.</summary>
    public static string Sign(Wallet wallet, JwtClaims claims)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Issuer != wallet.Address)
        {
            throw new ArgumentException("The token's issuer must be the signing wallet's address.", nameof(claims));
        }

        if (claims.Validate() is { } problem)
        {
            throw new ArgumentException($"The token's claims are invalid: {problem}.", nameof(claims));
        }

        var header = Base64Url.Encode(Encoding.UTF8.GetBytes("{\"alg\":\"" + Es256K + "\",\"typ\":\"JWT\"}"));
        var payload = Base64Url.Encode(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(JwtClaimsJson.Write(claims))));
        var signingInput = header + "." + payload;
        return signingInput + "." + Base64Url.Encode(wallet.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    /// <summary>
    /// A fresh token for <paramref name="wallet"/>: issued and valid from now, expiring after <paramref name="lifetime"/>,
    /// with a random <c>jti</c> (a UUID, as Console's ProviderJwtTokenService makes with randomUUID) so that no two tokens
    /// are the same and a provider that tracks ids can refuse a replay.
    /// </summary>
    public static string Issue(Wallet wallet, JwtLeases leases, TimeSpan lifetime, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(leases);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A token's lifetime must be positive.");
        }

        var now = (time ?? TimeProvider.System).GetUtcNow().ToUnixTimeSeconds();
        return Sign(wallet, new JwtClaims(wallet.Address, now, now, now + (long)Math.Ceiling(lifetime.TotalSeconds), leases, Id: NewId()));
    }

    /// <summary>A random token id: a version-4 UUID (122 random bits), the form of Console's randomUUID().</summary>
    public static string NewId() => Guid.NewGuid().ToString("D");

    /// <summary>
    /// Splits and decodes a token without trusting it (golang-jwt ParseUnverified + the provider's allowed
    /// methods). Throws <see cref="JwtException"/> with <see cref="JwtFailure.Malformed"/> or, for an algorithm other
    /// than ES256K/ES256KADR36, <see cref="JwtFailure.SignatureInvalid"/>.
    /// </summary>
    public static UnverifiedJwt Parse(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            throw new JwtException(JwtFailure.Malformed, "token contains an invalid number of segments");
        }

        string alg;
        JwtClaims claims;
        byte[] signature;
        try
        {
            using var header = JsonDocument.Parse(Base64Url.Decode(parts[0]));
            alg = header.RootElement.ValueKind == JsonValueKind.Object && header.RootElement.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String
                ? a.GetString()! : throw new FormatException("the header has no alg");
            using var payload = JsonDocument.Parse(Base64Url.Decode(parts[1]));
            claims = JwtClaimsJson.Read(payload.RootElement);
            signature = Base64Url.Decode(parts[2]);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw new JwtException(JwtFailure.Malformed, "token is malformed: " + e.Message);
        }

        if (alg is not (Es256K or Es256KAdr36))
        {
            throw new JwtException(JwtFailure.SignatureInvalid, $"signing method {alg} is invalid");
        }

        return new UnverifiedJwt(alg, claims, parts[0] + "." + parts[1], signature);
    }
}
