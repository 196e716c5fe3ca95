using System.Security.Cryptography.X509Certificates;
using Flock.Akash.Client;
using Flock.Akash.ProviderApi;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>An auth failure as the gateway answers it: status and the {"message"} text (provider utils/httperror).</summary>
internal sealed record AuthError(int Status, string Message)
{
    public static AuthError InvalidHeader => new(400, "invalid authorization header");
    public static AuthError Ambiguous => new(400, "auth: ambiguous authentication. may not use mTLS and JWT at the same time");
    public static AuthError InvalidClaims => new(400, "JWT has invalid claims");
    public static AuthError Unauthorized => new(401, "unauthorized access");
    public static AuthError JwtInvalid => new(401, "JWT is invalid");
}

/// <summary>
/// prepareAuthMiddleware + AuthProcess (provider gateway/rest/auth.go, gateway/utils/utils.go): a client certificate
/// that survived the handshake gives full access for its CN (15-minute synthetic claims); a Bearer JWT is verified
/// (ES256K or ES256KADR36) with the on-chain public key of its issuer; both at once is ambiguous. No credentials
/// give no claims, which the authorized routes then refuse.
/// </summary>
internal sealed class GatewayAuth(ProviderContext p)
{
    public async Task<(JwtClaims? Claims, AuthError? Error)> AuthenticateAsync(HttpContext context)
    {
        var token = string.Empty;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            var fields = header.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2 || !fields[0].Equals("bearer", StringComparison.OrdinalIgnoreCase))
            {
                return (null, AuthError.InvalidHeader);
            }

            token = fields[1];
        }

        JwtClaims? claims = null;
        if (context.Connection.ClientCertificate is { } cert)
        {
            var now = p.Time.GetUtcNow().ToUnixTimeSeconds();
            claims = new JwtClaims(cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false), now, now, now + (15 * 60), JwtLeases.Full);
        }

        if (claims is not null && token.Length > 0)
        {
            return (null, AuthError.Ambiguous);
        }

        if (token.Length == 0)
        {
            return (claims, null);
        }

        try
        {
            var parsed = ProviderJwt.Parse(token);
            var key = await IssuerKeyAsync(parsed.Claims.Issuer, context.RequestAborted).ConfigureAwait(false);
            return key is null ? (null, AuthError.JwtInvalid) : (parsed.Verify(key, p.Time.GetUtcNow()), null);
        }
        catch (JwtException e)
        {
            // golang-jwt wraps every claims failure (expired included) in ErrTokenInvalidClaims, which the gateway's
            // jwtErrorToHTTP tests first: 400 "JWT has invalid claims". Everything else is 401 "JWT is invalid".
            return (null, e.Failure == JwtFailure.InvalidClaims ? AuthError.InvalidClaims : AuthError.JwtInvalid);
        }
    }

    /// <summary>The issuer's on-chain key; null for a bad address, an unknown account, or one that never signed.</summary>
    private async Task<byte[]?> IssuerKeyAsync(string issuer, CancellationToken cancellationToken)
    {
        if (!Flock.Akash.Crypto.Bech32.TryDecode(issuer, out var hrp, out _) || hrp != "akash")
        {
            return null;
        }

        try
        {
            return await p.Chain.GetAccountPublicKeyAsync(issuer, cancellationToken).ConfigureAwait(false);
        }
        catch (AkashChainException)
        {
            // Not on chain (os.ErrNotExist → ErrJWTInvalid) or the query failed (ErrTokenUnverifiable): both 401.
            return null;
        }
    }
}
