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

    /// <summary>A fresh ES256K token per request; scoped to <paramref name="scopes"/> (full access when null), valid for <paramref name="lifetime"/> (15 min by default, as chain-sdk's Go client).</summary>
    public static ProviderAuth Jwt(Wallet wallet, IReadOnlyList<string>? scopes = null, TimeSpan? lifetime = null) =>
        new JwtAuth(wallet ?? throw new ArgumentNullException(nameof(wallet)), scopes, lifetime ?? JwtAuth.DefaultLifetime);

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
    /// <summary>chain-sdk's Go provider client issues 15-minute tokens.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(15);

    public override string Owner => Wallet.Address;

    /// <summary>The claims' lease access: full, or scoped to <see cref="Scopes"/>.</summary>
    public JwtLeases Leases => Scopes is null ? JwtLeases.Full : JwtLeases.Scoped(Scopes);

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
