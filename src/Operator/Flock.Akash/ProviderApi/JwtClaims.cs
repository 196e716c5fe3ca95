using System.Text;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// Permission scopes of the provider API JWT (chain-sdk go/util/jwt/jwt.go, specs/jwt-schema.json "action-scope").
/// </summary>
public static class JwtScopes
{
    public const string SendManifest = "send-manifest";
    public const string GetManifest = "get-manifest";
    public const string Logs = "logs";
    public const string Shell = "shell";
    public const string Events = "events";
    public const string Status = "status";
    public const string Restart = "restart";
    public const string HostnameMigrate = "hostname-migrate";
    public const string IpMigrate = "ip-migrate";
    public const string Attestation = "attestation";

    /// <summary>Every scope the schema allows.</summary>
    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        SendManifest, GetManifest, Logs, Shell, Events, Status, Restart, HostnameMigrate, IpMigrate, Attestation,
    };

    /// <summary>What the operator's lease flow needs: send the manifest, read status and logs (kubectl flock logs).</summary>
    public static IReadOnlyList<string> Operator { get; } = [SendManifest, Status, Logs];
}

/// <summary>Access types of <c>leases.access</c> and of a granular permission's <c>access</c>.</summary>
public static class JwtAccess
{
    public const string Full = "full";
    public const string Scoped = "scoped";
    public const string Granular = "granular";
}

/// <summary>
/// The <c>leases</c> claim: <c>{access:"full"}</c>, <c>{access:"scoped", scope:[…]}</c> or
/// <c>{access:"granular", permissions:[…]}</c>.
/// </summary>
/// <param name="Access">"full", "scoped" or "granular" (anything else fails validation, as on the provider).</param>
/// <param name="Scope">Scopes of scoped access; null otherwise.</param>
/// <param name="Permissions">Per-provider permissions of granular access; null otherwise.</param>
public sealed record JwtLeases(string Access, IReadOnlyList<string>? Scope = null, IReadOnlyList<JwtPermission>? Permissions = null)
{
    /// <summary>
    /// Granular access naming one provider (Console's getGranularLeases): everything there when <paramref name="scopes"/>
    /// is null, else only those actions; every other provider refuses the token (AuthorizeForProvider).
    /// </summary>
    public static JwtLeases ForProvider(string provider, IReadOnlyList<string>? scopes)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        return new(JwtAccess.Granular, Permissions: [scopes is null
            ? new JwtPermission(provider, JwtAccess.Full)
            : new JwtPermission(provider, JwtAccess.Scoped, scopes.ToList())]);
    }

    /// <summary>Everything on every lease of the issuer.</summary>
    public static JwtLeases Full { get; } = new(JwtAccess.Full);

    /// <summary>Only these actions, on every lease of the issuer.</summary>
    public static JwtLeases Scoped(IEnumerable<string> scopes) => new(JwtAccess.Scoped, scopes.ToList());
}

/// <summary>One provider's entry in granular access.</summary>
public sealed record JwtPermission(string Provider, string Access, IReadOnlyList<string>? Scope = null, IReadOnlyList<JwtDeploymentPermission>? Deployments = null);

/// <summary>Deployment-level permission inside a granular provider permission (gseq/oseq 0 = any).</summary>
public sealed record JwtDeploymentPermission(ulong Dseq, IReadOnlyList<string> Scope, IReadOnlyList<string> Services, uint Gseq = 0, uint Oseq = 0);

/// <summary>
/// The claims of a provider API token (chain-sdk specs/jwt-schema.json): issuer = the lease owner's address,
/// Unix-second times, <c>version</c> "v1" and the lease access. Validation and authorization follow
/// chain-sdk go/util/jwt/jwt.go, which the provider runs.
/// </summary>
public sealed record JwtClaims(string Issuer, long IssuedAt, long NotBefore, long ExpiresAt, JwtLeases Leases, string Version = "v1", string? Id = null)
{
    /// <summary>The value of a time claim the token does not carry (Go: a nil NumericDate).</summary>
    public const long Missing = long.MinValue;

    /// <summary>
    /// The provider's claim checks (Claims.Validate): a bech32 issuer, version "v1", and a well-formed leases
    /// claim. Returns the problem, or null when valid. Times are checked separately (<see cref="CheckTime"/>).
    /// </summary>
    public string? Validate()
    {
        if (!Crypto.Bech32.TryDecode(Issuer ?? string.Empty, out var hrp, out var data) || hrp != Chain.AkashNetwork.AddressPrefix || data.Length is not (20 or 32))
        {
            return "invalid issuer";
        }

        if (IssuedAt == Missing)
        {
            return "missing issued at";
        }

        if (NotBefore == Missing)
        {
            return "missing not before";
        }

        if (ExpiresAt == Missing)
        {
            return "missing expiration time";
        }

        if (Version != "v1")
        {
            return "invalid version";
        }

        return Leases is null ? "missing access type" : JwtLeasesValidation.Validate(Leases);
    }

    /// <summary>golang-jwt's time rules (no leeway): valid while nbf ≤ now &lt; exp. Returns the problem or null.</summary>
    public string? CheckTime(DateTimeOffset now)
    {
        // An absent exp or nbf passes here (golang-jwt does not require them); Validate then reports it missing.
        var seconds = now.ToUnixTimeSeconds();
        if (ExpiresAt != Missing && seconds >= ExpiresAt)
        {
            return "token is expired";
        }

        return NotBefore != Missing && seconds < NotBefore ? "token is not valid yet" : null;
    }

    // Claims are not secret, but keep ToString short and stable.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Issuer = ").Append(Issuer).Append(", Access = ").Append(Leases?.Access).Append(", ExpiresAt = ").Append(ExpiresAt);
        return true;
    }
}
