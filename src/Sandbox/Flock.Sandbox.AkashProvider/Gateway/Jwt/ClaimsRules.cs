namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// What the provider checks on claims once the signature holds. golang-jwt's default Validator (validator.go): exp and
/// nbf against the provider's clock with no leeway, when present; iat only with WithIssuedAt and aud only with
/// WithAudience, neither of which AuthProcess passes. Then chain-sdk's Claims.Validate (go/util/jwt/jwt.go): issuer,
/// presence of iat/nbf/exp, version "v1", and the leases rules. Any failure is ErrTokenInvalidClaims → 400.
/// Returns the problem (Go's wording) or null.
/// </summary>
internal static class ClaimsRules
{
    public static string? Check(AuthClaims claims, DateTimeOffset now)
    {
        // golang-jwt: valid while now < exp and now >= nbf. exp and nbf are whole seconds, so comparing the floor of
        // now gives the same answer as comparing the exact instant.
        var seconds = now.ToUnixTimeSeconds();
        if (claims.ExpiresAt is { } exp && seconds >= exp)
        {
            return "token is expired";
        }

        if (claims.NotBefore is { } nbf && seconds < nbf)
        {
            return "token is not valid yet";
        }

        return Validate(claims);
    }

    /// <summary>Claims.Validate, in its order.</summary>
    public static string? Validate(AuthClaims claims)
    {
        if (claims.Owner.Length == 0)
        {
            return "invalid issuer";
        }

        if (claims.IssuedAt is null)
        {
            return "missing issued at";
        }

        if (claims.NotBefore is null)
        {
            return "missing not before";
        }

        if (claims.ExpiresAt is null)
        {
            return "missing expiration time";
        }

        return claims.Version != "v1" ? "invalid version" : Leases(claims.Leases);
    }

    private static string? Leases(AuthLeases leases) => leases.Access switch
    {
        AccessType.Full when leases.Permissions is { Count: > 0 } => "full access cannot have permissions set",
        AccessType.Full when leases.Scope is { Count: > 0 } => "full access cannot have scope set",
        AccessType.Full => null,

        // Go tests `Permissions != nil` here: an empty list [] is refused as well.
        AccessType.Scoped when leases.Permissions is not null => "scoped access cannot have permissions set",
        AccessType.Scoped when leases.Scope is null or { Count: 0 } => "scope access must have scope set",
        AccessType.Scoped => Scopes(leases.Scope),

        AccessType.Granular when leases.Permissions is null or { Count: 0 } => "granular access must have permissions set",
        AccessType.Granular => Permissions(leases.Permissions) is { } problem ? "invalid permissions: " + problem : null,

        "" => "missing access type",
        _ => $"invalid access type '{leases.Access}'",
    };

    private static string? Permissions(IReadOnlyList<AuthPermission> permissions)
    {
        var providers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in permissions)
        {
            if (p.Provider.Length == 0)
            {
                return "empty provider";
            }

            if (!providers.Add(p.Provider))
            {
                return $"duplicate provider {p.Provider}";
            }

            var problem = p.Access switch
            {
                AccessType.Full when p.Deployments is { Count: > 0 } => "permission with full access cannot have deployments set",
                AccessType.Full when p.Scope is { Count: > 0 } => "permission with full access cannot have scope set",
                AccessType.Full => null,
                AccessType.Scoped when p.Deployments is not null => "permission with scoped access cannot have deployments set",
                AccessType.Scoped when p.Scope is null or { Count: 0 } => "permission with scope access must have scope set",
                AccessType.Scoped => Scopes(p.Scope),
                AccessType.Granular when p.Scope is not null => "permission with granular access cannot have scope set",
                AccessType.Granular when p.Deployments is null or { Count: 0 } => "granular access must have permissions set",
                AccessType.Granular => Deployments(p.Deployments),
                "" => "missing access type",
                _ => $"permission with invalid access type '{p.Access}'",
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Deployments(IReadOnlyList<AuthDeploymentPermission> deployments)
    {
        foreach (var d in deployments)
        {
            if (d.Scope is null or { Count: 0 })
            {
                return "deployment permission scope must be set";
            }

            if (d.Dseq == 0)
            {
                return "dseq must be set";
            }

            if (d.Oseq > 0 && d.Gseq == 0)
            {
                return "gseq must be set if oseq is set";
            }

            if (Scopes(d.Scope) is { } bad)
            {
                return bad;
            }

            if (d.Services is null or { Count: 0 })
            {
                return "empty services";
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (d.Services.FirstOrDefault(s => !seen.Add(s)) is { } duplicate)
            {
                return $"duplicate service {duplicate}";
            }
        }

        return null;
    }

    private static string? Scopes(IReadOnlyList<string> scopes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in scopes)
        {
            if (!PermissionScope.Valid.Contains(s))
            {
                return $"invalid scope {s}";
            }

            if (!seen.Add(s))
            {
                return $"duplicate scope {s}";
            }
        }

        return null;
    }
}
