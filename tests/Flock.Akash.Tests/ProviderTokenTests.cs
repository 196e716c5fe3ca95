using Flock.Akash.Crypto;
using Flock.Akash.ProviderApi;

namespace Flock.Akash.Tests;

/// <summary>
/// The tokens the operator sends to providers: one per provider (granular access naming it, as Console's
/// getGranularLeases), a random jti each, one minute of life, reused for the first half of it.
/// </summary>
public sealed class ProviderTokenTests : IDisposable
{
    private readonly Wallet _owner = Wallet.FromMnemonic(TestMnemonics.One(31));
    private readonly Wallet _providerA = Wallet.FromMnemonic(TestMnemonics.One(32));
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-12-08T05:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    // Providers are only named here, never contacted: any two addresses do.
    private string ProviderA => _providerA.Address;

    private string ProviderB => _owner.Address;

    public void Dispose()
    {
        _owner.Dispose();
        _providerA.Dispose();
    }

    [Fact]
    public void A_token_names_only_its_provider_with_the_operators_scopes_a_uuid_jti_and_one_minute_of_life()
    {
        var tokens = new ProviderTokens(_time);
        var claims = ProviderJwt.Parse(tokens.For(Auth(), ProviderA)).Verify(_owner.PublicKey, _time.GetUtcNow());

        Assert.Equal(_owner.Address, claims.Issuer);
        Assert.Equal(JwtAccess.Granular, claims.Leases.Access);
        Assert.Null(claims.Leases.Scope);
        var permission = Assert.Single(claims.Leases.Permissions!);
        Assert.Equal(new JwtPermission(ProviderA, JwtAccess.Scoped), permission with { Scope = null });
        Assert.Equal(JwtScopes.Operator, permission.Scope);
        Assert.True(Guid.TryParseExact(claims.Id, "D", out var jti) && jti.Version == 4, claims.Id);
        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        Assert.Equal((now, now, now + 60), (claims.IssuedAt, claims.NotBefore, claims.ExpiresAt));
        Assert.Equal(TimeSpan.FromMinutes(1), JwtAuth.DefaultLifetime);
    }

    [Fact]
    public void The_token_authorizes_its_provider_and_no_other()
    {
        var claims = ProviderJwt.Parse(new ProviderTokens(_time).For(Auth(), ProviderA)).Claims;

        Assert.True(claims.ForProvider(ProviderA));
        Assert.False(claims.ForProvider(ProviderB));
        foreach (var scope in JwtScopes.Operator)
        {
            Assert.True(claims.ForDeployment(_owner.Address, 42, ProviderA, scope));
            Assert.False(claims.ForDeployment(_owner.Address, 42, ProviderB, scope));
            Assert.True(claims.ForLease(_owner.Address, 42, 1, 1, ProviderA, scope));
            Assert.False(claims.ForLease(_owner.Address, 42, 1, 1, ProviderB, scope));
        }

        // Only the operator's actions, even at its provider.
        Assert.False(claims.ForDeployment(_owner.Address, 42, ProviderA, JwtScopes.Shell));
    }

    [Fact]
    public void Without_scopes_the_token_is_full_access_at_its_provider_only()
    {
        var claims = ProviderJwt.Parse(new ProviderTokens(_time).For((JwtAuth)ProviderAuth.Jwt(_owner), ProviderA)).Claims;
        Assert.Equal(new JwtPermission(ProviderA, JwtAccess.Full), Assert.Single(claims.Leases.Permissions!));
        Assert.True(claims.ForDeployment(_owner.Address, 42, ProviderA, JwtScopes.Shell));
        Assert.False(claims.ForProvider(ProviderB));
    }

    [Fact]
    public void Every_issued_token_has_its_own_jti()
    {
        var ids = Enumerable.Range(0, 200)
            .Select(_ => ProviderJwt.Parse(ProviderJwt.Issue(_owner, JwtLeases.ForProvider(ProviderA, JwtScopes.Operator), JwtAuth.DefaultLifetime, _time)).Claims.Id)
            .ToList();
        Assert.All(ids, id => Assert.False(string.IsNullOrEmpty(id)));
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void A_token_is_reused_for_its_provider_during_the_first_half_of_its_life_then_replaced()
    {
        var tokens = new ProviderTokens(_time);
        var first = tokens.For(Auth(), ProviderA);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Same(first, tokens.For(Auth(), ProviderA));
        var forB = tokens.For(Auth(), ProviderB);
        Assert.NotEqual(first, forB);
        Assert.Equal(ProviderB, Assert.Single(ProviderJwt.Parse(forB).Claims.Leases.Permissions!).Provider);

        // Other scopes are another token.
        Assert.NotEqual(first, tokens.For((JwtAuth)ProviderAuth.Jwt(_owner, [JwtScopes.Logs]), ProviderA));

        _time.Advance(TimeSpan.FromSeconds(1));
        var second = tokens.For(Auth(), ProviderA);
        Assert.NotEqual(first, second);
        Assert.NotEqual(ProviderJwt.Parse(first).Claims.Id, ProviderJwt.Parse(second).Claims.Id);
        var claims = ProviderJwt.Parse(second).Verify(_owner.PublicKey, _time.GetUtcNow());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeSeconds() + 60, claims.ExpiresAt);
    }

    [Fact]
    public void Lifetimes_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProviderAuth.Jwt(_owner, lifetime: TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => JwtLeases.ForProvider(string.Empty, null));
    }

    private JwtAuth Auth() => (JwtAuth)ProviderAuth.Jwt(_owner, JwtScopes.Operator);

    private sealed class ManualTime(DateTimeOffset now) : TimeProvider
    {
        private DateTimeOffset _now = now;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
