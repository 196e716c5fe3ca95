using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// One HTTP handler per (provider, pinned certificates, client certificate): TLS that accepts exactly the provider's
/// on-chain certificates, presents the client certificate when mTLS is used, and counts pin refusals so a failure
/// can be told apart from an unreachable host.
/// </summary>
internal sealed class ProviderChannel : IDisposable
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private readonly HashSet<string> _pins;
    private readonly TimeProvider _time;
    private int _rejections;

    public ProviderChannel(ProviderEndpoint endpoint, X509Certificate2? clientCertificate, ProviderClientOptions options, TimeProvider time)
    {
        _time = time;
        _pins = endpoint.PinnedCertificatesDer.Select(Convert.ToHexString).ToHashSet(StringComparer.Ordinal);
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = Validate,
            EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
        };
        if (clientCertificate is not null)
        {
            // Always offer our certificate: a provider asks for "any" client certificate without naming CAs.
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        Handler = new SocketsHttpHandler
        {
            SslOptions = ssl,
            ConnectTimeout = options.EffectiveConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
        };
        Invoker = new HttpMessageInvoker(Handler, disposeHandler: false);
    }

    public SocketsHttpHandler Handler { get; }

    public HttpMessageInvoker Invoker { get; }

    /// <summary>How many server certificates this channel has refused so far.</summary>
    public int Rejections => Volatile.Read(ref _rejections);

    /// <summary>Cache key: provider, URI, the pinned set and the client certificate.</summary>
    public static string KeyOf(ProviderEndpoint endpoint, X509Certificate2? clientCertificate)
    {
        var pins = string.Join(',', endpoint.PinnedCertificatesDer.Select(d => Convert.ToHexString(SHA256.HashData(d))).Order(StringComparer.Ordinal));
        return $"{endpoint.Address}|{endpoint.HostUri}|{pins}|{clientCertificate?.Thumbprint}";
    }

    public void Dispose()
    {
        Invoker.Dispose();
        Handler.Dispose();
    }

    // The chain, not a CA, vouches for the provider: the presented leaf must be one of its valid on-chain
    // certificates, within its validity period, and (when it restricts usage) usable for server auth — the checks
    // chain-sdk's provider client makes with the on-chain certificate as the only root.
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is not null && _pins.Contains(Convert.ToHexString(certificate.GetRawCertData())))
        {
            using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var now = _time.GetUtcNow().UtcDateTime;
            var usage = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (leaf.NotBefore.ToUniversalTime() <= now && now <= leaf.NotAfter.ToUniversalTime()
                && (usage is null || usage.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Any(o => o.Value == ServerAuthOid)))
            {
                return true;
            }
        }

        Interlocked.Increment(ref _rejections);
        return false;
    }
}
