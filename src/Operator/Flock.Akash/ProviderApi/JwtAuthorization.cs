namespace Flock.Akash.ProviderApi;

/// <summary>
/// What a validated token lets its holder do on one provider: the Authorize* functions of chain-sdk
/// go/util/jwt/jwt.go, which the provider's router middleware calls (provider, deployment, lease, scope).
/// </summary>
public static class JwtAuthorization
{
    /// <summary>AuthorizeForProvider: full and scoped access reach every provider; granular only the listed ones.</summary>
    public static bool ForProvider(this JwtClaims claims, string provider)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims.Leases.Access switch
        {
            JwtAccess.Full or JwtAccess.Scoped => true,
            JwtAccess.Granular => claims.Leases.Permissions?.Any(p => p.Provider == provider) == true,
            _ => false,
        };
    }

    /// <summary>AuthorizeDeploymentIDForPermissionScope: the issuer owns the deployment and may use <paramref name="scope"/> on it.</summary>
    public static bool ForDeployment(this JwtClaims claims, string owner, ulong dseq, string provider, string scope)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Issuer != owner)
        {
            return false;
        }

        return claims.Leases.Access switch
        {
            JwtAccess.Full => true,
            JwtAccess.Scoped => claims.Leases.Scope?.Contains(scope) == true,
            JwtAccess.Granular => claims.Leases.Permissions?.Any(p => p.Provider == provider && p.Access switch
            {
                JwtAccess.Full => true,
                JwtAccess.Scoped => p.Scope?.Contains(scope) == true,
                JwtAccess.Granular => p.Deployments?.Any(d => d.Dseq == dseq && d.Scope.Contains(scope)) == true,
                _ => false,
            }) == true,
            _ => false,
        };
    }

    /// <summary>AuthorizeLeaseIDForPermissionScope: like <see cref="ForDeployment"/>, narrowed by gseq/oseq when the permission names them.</summary>
    public static bool ForLease(this JwtClaims claims, string owner, ulong dseq, uint gseq, uint oseq, string provider, string scope)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (claims.Issuer != owner)
        {
            return false;
        }

        return claims.Leases.Access switch
        {
            JwtAccess.Full => true,
            JwtAccess.Scoped => claims.Leases.Scope?.Contains(scope) == true,
            JwtAccess.Granular => claims.Leases.Permissions?.Any(p => p.Provider == provider && p.Access switch
            {
                JwtAccess.Full => true,
                JwtAccess.Scoped => p.Scope?.Contains(scope) == true,
                JwtAccess.Granular => p.Deployments?.Any(d => d.Dseq == dseq && (d.Gseq == 0 || d.Gseq == gseq) && (d.Oseq == 0 || d.Oseq == oseq) && d.Scope.Contains(scope)) == true,
                _ => false,
            }) == true,
            _ => false,
        };
    }
}
