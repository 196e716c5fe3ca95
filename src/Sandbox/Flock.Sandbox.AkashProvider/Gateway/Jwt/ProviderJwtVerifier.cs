using System.Text;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>What the gateway decided about a bearer token: the claims, or the answer and why (the reason is for logs and tests).</summary>
internal sealed record JwtVerdict(AuthClaims? Claims, AuthError? Error, string Reason)
{
    public static JwtVerdict Accepted(AuthClaims claims) => new(claims, null, "ok");

    public static JwtVerdict Invalid(string reason) => new(null, AuthError.JwtInvalid, reason);

    public static JwtVerdict InvalidClaims(string reason) => new(null, AuthError.InvalidClaims, reason);
}

/// <summary>
/// The simulated provider's own bearer-token check, written from the protocol facts and sharing no code with the
/// operator's token maker (a bug on both sides must not cancel out). The flow is AuthProcess of akash-network/provider
/// gateway/utils/utils.go on golang-jwt v5: parse (<see cref="JwtParts"/>), look up the issuer's on-chain key, check the
/// signature (ES256K: <see cref="CosmosSecp256k1"/> over "header.payload"; ES256KADR36: over <see cref="Adr36SignDoc"/>),
/// then the claims with the provider's clock (<see cref="ClaimsRules"/>). jwtErrorToHTTP tests ErrTokenInvalidClaims
/// first, and golang-jwt wraps every claims failure (expired and not-yet-valid too) in it: those are 400
/// "JWT has invalid claims"; everything before is 401 "JWT is invalid" (its ErrJWTExpired branch is never reached).
/// </summary>
/// <param name="issuerKey">The issuer's public key by its canonical address; null when the account is unknown or has none.</param>
internal sealed class ProviderJwtVerifier(Func<string, CancellationToken, Task<byte[]?>> issuerKey, TimeProvider time)
{
    public async Task<JwtVerdict> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var (parts, problem) = JwtParts.Parse(token);
        if (parts is null)
        {
            return JwtVerdict.Invalid(problem!);
        }

        // The keyfunc: sdk.AccAddressFromBech32(iss), then the account's key. Its errors make the token unverifiable.
        if (parts.Claims.Owner.Length == 0)
        {
            return JwtVerdict.Invalid("error while executing keyfunc: invalid issuer");
        }

        var key = await issuerKey(parts.Claims.Owner, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return JwtVerdict.Invalid("error while executing keyfunc: no public key for the issuer");
        }

        var signed = parts.Algorithm == JwtParts.Es256KAdr36
            ? Adr36SignDoc.Bytes(parts.Claims.Owner, parts.SigningInput)
            : Encoding.ASCII.GetBytes(parts.SigningInput);
        if (!CosmosSecp256k1.Verify(key, signed, parts.Signature))
        {
            return JwtVerdict.Invalid("token signature is invalid");
        }

        return ClaimsRules.Check(parts.Claims, time.GetUtcNow()) is { } claimsProblem
            ? JwtVerdict.InvalidClaims(claimsProblem)
            : JwtVerdict.Accepted(parts.Claims);
    }
}
