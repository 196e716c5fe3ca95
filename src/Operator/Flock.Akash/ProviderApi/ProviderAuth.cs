using System.Security.Cryptography.X509Certificates;
using Flock.Akash.Crypto;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// How the operator proves to a provider that it owns the lease: a JWT signed with the account key (sent as
/// <c>Authorization: Bearer</c>) or an mTLS client certificate published on chain. Never both: the provider refuses
/// a request carrying both (ErrAuthAmbiguous).
/// </summary>
public abstract record ProviderAuth
{
    private protected ProviderAuth()
    {
    }

    /// <summary>The lease owner's address the credentials speak for.</summary>
    public abstract string Owner { get; }

    /// <summary>
    /// ES256K tokens, one per provider: granular access naming only the provider the request goes to, scoped to
    /// <paramref name="scopes"/> (everything there when null), valid for <paramref name="lifetime"/>
    /// (<see cref="JwtAuth.DefaultLifetime"/> by default). <see cref="ProviderClient"/> caches them per provider.
    /// </summary>
    public static ProviderAuth Jwt(Wallet wallet, IReadOnlyList<string>? scopes = null, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        var life = lifetime ?? JwtAuth.DefaultLifetime;
        if (life <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A token's lifetime must be positive.");
        }

        return new JwtAuth(wallet, scopes, life);
    }

    /// <summary>An on-chain client certificate with its private key; its CN is the owner.</summary>
    public static ProviderAuth Certificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("An mTLS client certificate needs its private key.", nameof(certificate));
        }

        return new CertificateAuth(certificate);
    }
}

/// <summary>JWT authentication (see <see cref="ProviderAuth.Jwt"/>).</summary>
public sealed record JwtAuth(Wallet Wallet, IReadOnlyList<string>? Scopes, TimeSpan Lifetime) : ProviderAuth
{
    /// <summary>
    /// One minute. A token is a bearer credential: whoever holds it (the provider it was sent to, a log, a proxy)
    /// can use it until it expires, so shorter is safer. Console's API signs 30-second provider tokens (one per
    /// request); the operator reuses a token for the first half of its life (<see cref="ProviderTokens"/>), so every
    /// token it sends still has at least Console's 30 s left — enough for connect (10 s at most) before the gateway
    /// checks it on arrival. chain-sdk's Go client's 15 minutes (full access, any provider) is what this replaces.
    /// </summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(1);

    public override string Owner => Wallet.Address;

    /// <summary>The claims' lease access for a request to <paramref name="provider"/>: granular, naming that provider only.</summary>
    public JwtLeases LeasesFor(string provider) => JwtLeases.ForProvider(provider, Scopes);

    /// <summary>Shows the owner and scopes; never the key.</summary>
    public override string ToString() => $"JwtAuth({Owner}, {(Scopes is null ? "full" : string.Join(',', Scopes))})";
}

/// <summary>mTLS authentication (see <see cref="ProviderAuth.Certificate"/>).</summary>
public sealed record CertificateAuth(X509Certificate2 ClientCertificate) : ProviderAuth
{
    public override string Owner => ClientCertificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>Shows the owner and serial; never the key.</summary>
    public override string ToString() => $"CertificateAuth({Owner}, serial {ProviderApi.ClientCertificate.SerialOf(ClientCertificate)})";
}
