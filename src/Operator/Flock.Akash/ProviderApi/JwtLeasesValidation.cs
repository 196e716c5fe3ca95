namespace Flock.Akash.ProviderApi;

/// <summary>
/// Leases.Validate, Permissions.Validate and PermissionScopes.Validate of chain-sdk go/util/jwt/jwt.go: the
/// structural rules a provider enforces on the <c>leases</c> claim. Messages are the Go texts without the
/// "jwt: validation error: " prefix.
/// </summary>
internal static class JwtLeasesValidation
{
    public static string? Validate(JwtLeases leases)
    {
        switch (leases.Access)
        {
            case JwtAccess.Full:
                if (leases.Permissions is { Count: > 0 })
                {
                    return "full access cannot have permissions set";
                }

                return leases.Scope is { Count: > 0 } ? "full access cannot have scope set" : null;
            case JwtAccess.Scoped:
                if (leases.Permissions is not null)
                {
                    return "scoped access cannot have permissions set";
                }

                return leases.Scope is null or { Count: 0 } ? "scope access must have scope set" : Scopes(leases.Scope);
            case JwtAccess.Granular:
                return leases.Permissions is null or { Count: 0 } ? "granular access must have permissions set" : Permissions(leases.Permissions);
            case null or "":
                return "missing access type";
            default:
                return $"invalid access type '{leases.Access}'";
        }
    }

    private static string? Permissions(IReadOnlyList<JwtPermission> permissions)
    {
        var providers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in permissions)
        {
            if (string.IsNullOrEmpty(p.Provider))
            {
                return "empty provider";
            }

            if (!providers.Add(p.Provider))
            {
                return $"duplicate provider {p.Provider}";
            }

            var problem = p.Access switch
            {
                JwtAccess.Full => p.Deployments is { Count: > 0 } ? "permission with full access cannot have deployments set"
                    : p.Scope is { Count: > 0 } ? "permission with full access cannot have scope set" : null,
                JwtAccess.Scoped => p.Deployments is not null ? "permission with scoped access cannot have deployments set"
                    : p.Scope is null or { Count: 0 } ? "permission with scope access must have scope set" : Scopes(p.Scope),
                JwtAccess.Granular => Deployments(p),
                null or "" => "missing access type",
                _ => $"permission with invalid access type '{p.Access}'",
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? Deployments(JwtPermission p)
    {
        if (p.Scope is not null)
        {
            return "permission with granular access cannot have scope set";
        }

        if (p.Deployments is null or { Count: 0 })
        {
            return "granular access must have permissions set";
        }

        foreach (var d in p.Deployments)
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

            if (d.Services.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } dup)
            {
                return $"duplicate service {dup.Key}";
            }
        }

        return null;
    }

    private static string? Scopes(IReadOnlyList<string> scopes)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in scopes)
        {
            if (!JwtScopes.All.Contains(s))
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
