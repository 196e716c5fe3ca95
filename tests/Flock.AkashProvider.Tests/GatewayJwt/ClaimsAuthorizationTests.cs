using Flock.Sandbox.AkashProvider.Gateway;
using Flock.Sandbox.AkashProvider.Gateway.Jwt;
using static Flock.AkashProvider.Tests.TokenForge;

namespace Flock.AkashProvider.Tests;

/// <summary>The Authorize* checks of chain-sdk go/util/jwt/jwt.go as the simulator runs them on verified claims.</summary>
public sealed class ClaimsAuthorizationTests(ReferenceTokens t) : IClassFixture<ReferenceTokens>
{
    private const string Other = "akash1other";

    [Fact]
    public async Task A_chain_sdk_granular_token_reaches_only_its_provider_deployment_group_and_scope()
    {
        var c = await Verified(t.GranularAdr36);
        var owner = t.Owner.Address;
        Assert.True(c.ForProvider(t.Provider));
        Assert.False(c.ForProvider(Other));
        Assert.True(c.ForLeaseScope(new LeaseKey(owner, ReferenceTokens.GranularDseq, 1, 7), t.Provider, PermissionScope.Status)); // oseq 0 = any
        Assert.False(c.ForLeaseScope(new LeaseKey(owner, ReferenceTokens.GranularDseq, 1, 7), t.Provider, PermissionScope.Logs));
        Assert.False(c.ForLeaseScope(new LeaseKey(owner, ReferenceTokens.GranularDseq, 2, 1), t.Provider, PermissionScope.Status));
        Assert.False(c.ForLeaseScope(new LeaseKey(owner, ReferenceTokens.GranularDseq + 1, 1, 1), t.Provider, PermissionScope.Status));
        Assert.False(c.ForLeaseScope(new LeaseKey(t.Stranger.Address, ReferenceTokens.GranularDseq, 1, 1), t.Provider, PermissionScope.Status));
        Assert.True(c.ForDeployment(owner, ReferenceTokens.GranularDseq, t.Provider));
        Assert.False(c.ForDeploymentScope(owner, ReferenceTokens.GranularDseq, t.Provider, PermissionScope.SendManifest));
    }

    [Fact]
    public async Task Scoped_access_reaches_every_provider_but_only_its_scopes_and_the_id_checks_ignore_scopes()
    {
        var c = await Verified(t.ScopedAdr36);
        var lease = new LeaseKey(t.Owner.Address, 9, 1, 1);
        Assert.True(c.ForProvider(Other));
        Assert.True(c.ForLease(lease, Other));
        Assert.True(c.ForLeaseScope(lease, Other, PermissionScope.Logs));
        Assert.False(c.ForLeaseScope(lease, Other, PermissionScope.GetManifest));
        Assert.True(c.ForDeployment(t.Owner.Address, 9, Other));
        Assert.False(c.ForDeploymentScope(t.Owner.Address, 9, Other, PermissionScope.SendManifest));
    }

    [Fact]
    public void Full_access_and_no_credentials_are_the_two_ends()
    {
        var full = AuthClaims.ForCertificate(t.Owner.Address, DateTimeOffset.UtcNow);
        Assert.True(full.HasOwner());
        Assert.True(full.ForLeaseScope(new LeaseKey(t.Owner.Address, 1, 1, 1), Other, PermissionScope.SendManifest));
        Assert.False(full.ForLeaseScope(new LeaseKey(t.Stranger.Address, 1, 1, 1), Other, PermissionScope.Status));

        var none = new AuthClaims(string.Empty, string.Empty, null, null, null, string.Empty, AuthLeases.None);
        Assert.False(none.ForProvider(Other));
        Assert.False(none.HasOwner());
    }

    [Fact]
    public async Task An_upper_case_issuer_verifies_but_owns_nothing_because_go_compares_the_string_as_sent()
    {
        var upper = t.Owner.Address.ToUpperInvariant();
        var c = await Verified(Es256K(t.Owner, Claims(upper, t.Now, t.Now, t.Now + 60)));
        Assert.Equal((upper, t.Owner.Address), (c.Issuer, c.Owner));
        Assert.True(c.HasOwner());
        Assert.False(c.ForLease(new LeaseKey(c.Owner, 1, 1, 1), Other));
        Assert.True((c with { Issuer = t.Owner.Address }).ForLease(new LeaseKey(c.Owner, 1, 1, 1), Other));
    }

    private async Task<AuthClaims> Verified(string token)
    {
        var verifier = new ProviderJwtVerifier(
            (address, _) => Task.FromResult(address == t.Owner.Address ? t.Owner.PublicKey : null),
            new FixedClock(DateTimeOffset.FromUnixTimeSeconds(t.Now + 1)));
        var verdict = await verifier.VerifyAsync(token, default);
        Assert.True(verdict.Error is null, verdict.Reason);
        return verdict.Claims!;
    }
}
