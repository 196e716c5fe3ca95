namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// The Authorize* checks of chain-sdk go/util/jwt/jwt.go, in the order the provider's router runs them
/// (gateway/rest/router.go, middleware.go): authorizeProviderMiddleware, requireOwner, requireDeploymentID or
/// requireLeaseID, then requireEndpointScopeFor…. Owners and providers are compared in their printed (lower-case) form,
/// except that the issuer is compared as sent, as Go compares Claims.Issuer with the id's owner string.
/// </summary>
internal static class ClaimsAuthorization
{
    /// <summary>AuthorizeForProvider: full and scoped reach every provider, granular only the listed ones, none nothing.</summary>
    public static bool ForProvider(this AuthClaims c, string provider) => c.Leases.Access switch
    {
        AccessType.Full or AccessType.Scoped => true,
        AccessType.Granular => c.Leases.Permissions?.Any(p => p.Provider == provider) == true,
        _ => false,
    };

    /// <summary>requireOwner: the issuer must have parsed as an address (IssuerAddress not empty).</summary>
    public static bool HasOwner(this AuthClaims c) => c.Owner.Length > 0;

    /// <summary>AuthorizeForDeploymentID: the deployment is the issuer's and, for granular access, named for this provider.</summary>
    public static bool ForDeployment(this AuthClaims c, string owner, ulong dseq, string provider) =>
        Deployment(c, owner, dseq, provider, scope: null);

    /// <summary>AuthorizeDeploymentIDForPermissionScope.</summary>
    public static bool ForDeploymentScope(this AuthClaims c, string owner, ulong dseq, string provider, string scope) =>
        Deployment(c, owner, dseq, provider, scope);

    /// <summary>AuthorizeForLeaseID: like the deployment check, narrowed by gseq/oseq where a permission names them.</summary>
    public static bool ForLease(this AuthClaims c, LeaseKey lease, string provider) => Lease(c, lease, provider, scope: null);

    /// <summary>AuthorizeLeaseIDForPermissionScope.</summary>
    public static bool ForLeaseScope(this AuthClaims c, LeaseKey lease, string provider, string scope) => Lease(c, lease, provider, scope);

    // scope null: the id-only variant, where scoped access (global or per provider) passes without looking at scopes.
    private static bool Deployment(AuthClaims c, string owner, ulong dseq, string provider, string? scope)
    {
        if (c.Issuer != owner)
        {
            return false;
        }

        return c.Leases.Access switch
        {
            AccessType.Full => true,
            AccessType.Scoped => Has(c.Leases.Scope, scope),
            AccessType.Granular => c.Leases.Permissions?.Any(p => p.Provider == provider && p.Access switch
            {
                AccessType.Full => true,
                AccessType.Scoped => Has(p.Scope, scope),
                AccessType.Granular => p.Deployments?.Any(d => d.Dseq == dseq && Has(d.Scope, scope)) == true,
                _ => false,
            }) == true,
            _ => false,
        };
    }

    private static bool Lease(AuthClaims c, LeaseKey lease, string provider, string? scope)
    {
        if (c.Issuer != lease.Owner)
        {
            return false;
        }

        return c.Leases.Access switch
        {
            AccessType.Full => true,
            AccessType.Scoped => Has(c.Leases.Scope, scope),
            AccessType.Granular => c.Leases.Permissions?.Any(p => p.Provider == provider && p.Access switch
            {
                AccessType.Full => true,
                AccessType.Scoped => Has(p.Scope, scope),
                AccessType.Granular => p.Deployments?.Any(d => d.Dseq == lease.Dseq && (d.Gseq == 0 || d.Gseq == lease.Gseq)
                    && (d.Oseq == 0 || d.Oseq == lease.Oseq) && Has(d.Scope, scope)) == true,
                _ => false,
            }) == true,
            _ => false,
        };
    }

    private static bool Has(IReadOnlyList<string>? scopes, string? scope) => scope is null || scopes?.Contains(scope) == true;
}
