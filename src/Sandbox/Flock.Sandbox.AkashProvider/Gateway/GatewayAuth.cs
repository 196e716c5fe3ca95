using System.Security.Cryptography.X509Certificates;
using Flock.Akash.Client;
using Flock.Sandbox.AkashProvider.Gateway.Jwt;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// prepareAuthMiddleware + AuthProcess (provider gateway/rest/auth.go, gateway/utils/utils.go): a client certificate
/// that survived the handshake gives full access for its CN (15-minute synthetic claims); a Bearer JWT is checked by
/// the simulator's own <see cref="ProviderJwtVerifier"/> with the on-chain public key of its issuer; both at once is
/// ambiguous. No credentials give access "none", which the authorized routes then refuse.
/// </summary>
internal sealed class GatewayAuth
{
    private readonly ProviderContext _p;
    private readonly ProviderJwtVerifier _verifier;

    public GatewayAuth(ProviderContext p)
    {
        _p = p;
        _verifier = new ProviderJwtVerifier(IssuerKeyAsync, p.Time);
    }

    public async Task<(AuthClaims? Claims, AuthError? Error)> AuthenticateAsync(HttpContext context)
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

        AuthClaims? claims = null;
        if (context.Connection.ClientCertificate is { } cert)
        {
            claims = AuthClaims.ForCertificate(cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false), _p.Time.GetUtcNow());
        }

        if (claims is not null && token.Length > 0)
        {
            return (null, AuthError.Ambiguous);
        }

        if (token.Length == 0)
        {
            return (claims, null);
        }

        var verdict = await _verifier.VerifyAsync(token, context.RequestAborted).ConfigureAwait(false);
        if (verdict.Error is not null)
        {
            // The reason names the rule only; the token itself is a credential and never logged.
            _p.LastJwtRejection = verdict.Reason;
            JwtRefused(_p.Logger, _p.Address, verdict.Reason, null);
        }

        return (verdict.Claims, verdict.Error);
    }

    private static readonly Action<ILogger, string, string, Exception?> JwtRefused =
        LoggerMessage.Define<string, string>(LogLevel.Debug, new EventId(20, nameof(JwtRefused)), "Provider {Provider} refused a bearer token: {Reason}");

    /// <summary>The issuer's on-chain key; null for an unknown account or one that never signed.</summary>
    private async Task<byte[]?> IssuerKeyAsync(string issuer, CancellationToken cancellationToken)
    {
        try
        {
            return await _p.Chain.GetAccountPublicKeyAsync(issuer, cancellationToken).ConfigureAwait(false);
        }
        catch (AkashChainException)
        {
            // Not on chain (os.ErrNotExist → ErrJWTInvalid) or the query failed (ErrTokenUnverifiable): both 401.
            return null;
        }
    }
}
