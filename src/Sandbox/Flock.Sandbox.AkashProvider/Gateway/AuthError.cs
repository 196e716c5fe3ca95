namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// An auth failure as the gateway answers it: status and the {"message"} text (provider utils/httperror/httperror.go,
/// gateway/rest/auth.go DefaultErrorHandler).
/// </summary>
internal sealed record AuthError(int Status, string Message)
{
    public static AuthError InvalidHeader => new(400, "invalid authorization header");
    public static AuthError Ambiguous => new(400, "auth: ambiguous authentication. may not use mTLS and JWT at the same time");

    /// <summary>ErrJWTInvalidClaims: the token verified but its claims fail (expired and not-yet-valid included, see <see cref="Jwt.ProviderJwtVerifier"/>).</summary>
    public static AuthError InvalidClaims => new(400, "JWT has invalid claims");
    public static AuthError Unauthorized => new(401, "unauthorized access");

    /// <summary>ErrJWTInvalid: anything wrong before the claims are judged (malformed, method, unknown issuer, signature).</summary>
    public static AuthError JwtInvalid => new(401, "JWT is invalid");
}
