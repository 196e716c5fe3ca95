using System.Text;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// The claims a request carries once the gateway authenticated it (chain-sdk go/util/jwt/jwt.go Claims): the simulator's
/// own type, so the routes do not lean on the operator's JWT code. Times are Unix seconds; null is a claim the token did
/// not carry (Go: a nil *NumericDate).
/// </summary>
/// <param name="Issuer">"iss" exactly as sent; the authorize checks compare this string with the lease owner.</param>
/// <param name="Owner">The issuer as an AccAddress prints it (lower case), "" when "iss" is not an akash address.</param>
/// <param name="Audience">"aud" (a string or a list of strings); carried but not checked, as on the provider.</param>
internal sealed record AuthClaims(
    string Issuer,
    string Owner,
    long? IssuedAt,
    long? NotBefore,
    long? ExpiresAt,
    string Version,
    AuthLeases Leases,
    IReadOnlyList<string>? Audience = null,
    string? Id = null)
{
    /// <summary>
    /// What a client certificate that survived the handshake gives (provider gateway/utils/utils.go AuthProcess): full
    /// access for its CN (printed back as an address, so in lower case), issued now and valid for 15 minutes.
    /// </summary>
    public static AuthClaims ForCertificate(string commonName, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        var owner = AkashAddress.Canonical(commonName) ?? string.Empty;
        return new AuthClaims(owner, owner, seconds, seconds, seconds + (15 * 60), "v1", AuthLeases.Full);
    }

    // Claims are not secret, but a short ToString keeps logs readable.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Issuer = ").Append(Issuer).Append(", Access = ").Append(Leases.Access).Append(", ExpiresAt = ").Append(ExpiresAt);
        return true;
    }
}

/// <summary>"leases": the access type and, depending on it, global scopes or per-provider permissions.</summary>
/// <param name="Scope">null when absent or JSON null; an empty list when sent as [] (Go tells nil from empty here).</param>
internal sealed record AuthLeases(string Access, IReadOnlyList<string>? Scope = null, IReadOnlyList<AuthPermission>? Permissions = null)
{
    public static AuthLeases Full { get; } = new(AccessType.Full);

    /// <summary>No credentials: AuthProcess starts from access "none", which no authorize check lets through.</summary>
    public static AuthLeases None { get; } = new(AccessType.None);
}

/// <summary>One provider's entry of granular access; <paramref name="Provider"/> in lower case, "" when empty.</summary>
internal sealed record AuthPermission(string Provider, string Access, IReadOnlyList<string>? Scope = null, IReadOnlyList<AuthDeploymentPermission>? Deployments = null);

/// <summary>A deployment (and optionally group/order; 0 = any) inside a granular provider permission.</summary>
internal sealed record AuthDeploymentPermission(ulong Dseq, uint Gseq, uint Oseq, IReadOnlyList<string>? Scope, IReadOnlyList<string>? Services);

/// <summary>Access types (chain-sdk go/util/jwt/jwt.go AccessType).</summary>
internal static class AccessType
{
    public const string Full = "full";
    public const string Scoped = "scoped";
    public const string Granular = "granular";

    /// <summary>Never valid in a token; only the provider's starting point before any credential.</summary>
    public const string None = "none";
}

/// <summary>Permission scopes (chain-sdk go/util/jwt/jwt.go validScopes); a token naming another is invalid.</summary>
internal static class PermissionScope
{
    public const string SendManifest = "send-manifest";
    public const string GetManifest = "get-manifest";
    public const string Logs = "logs";
    public const string Status = "status";

    public static IReadOnlySet<string> Valid { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        SendManifest, GetManifest, Logs, "shell", "events", Status, "restart", "hostname-migrate", "ip-migrate", "attestation",
    };
}
