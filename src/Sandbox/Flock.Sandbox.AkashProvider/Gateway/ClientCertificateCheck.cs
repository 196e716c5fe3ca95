using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flock.Akash.Client;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// The provider's check of an mTLS client certificate during the TLS handshake (provider gateway/utils/utils.go
/// NewServerTLSConfig → chain-sdk go/util/tls/verify.go ValidatePeerCertificates): CN a bech32 address equal to the
/// issuer CN, the (owner = CN, serial) certificate valid on chain, the presented certificate signed by the on-chain
/// public key, and within validity with client-auth usage (x509 Verify with the on-chain certificate as the only root).
/// A refusal fails the handshake: the client sees the connection drop, not an HTTP status.
/// </summary>
internal sealed class ClientCertificateCheck(ProviderContext p)
{
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const string AnyUsageOid = "2.5.29.37.0";

    /// <summary>Kestrel's validation callback is synchronous; the chain query is bounded so a handshake never hangs.</summary>
    public bool IsValid(X509Certificate2 certificate)
    {
        string? problem;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            problem = Task.Run(() => ProblemAsync(certificate, timeout.Token), timeout.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is AkashChainException or OperationCanceledException)
        {
            problem = "tls: on-chain certificates are not available";
        }

        p.LastTlsRejection = problem;
        return problem is null;
    }

    private async Task<string?> ProblemAsync(X509Certificate2 cert, CancellationToken cancellationToken)
    {
        var cn = cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        var owner = AkashAddress.Canonical(cn);
        if (owner is null || cn != cert.GetNameInfo(X509NameType.SimpleName, forIssuer: true))
        {
            return "tls: invalid certificate's subject common name";
        }

        // The chain keys certificates by (owner, serial as a decimal integer).
        var serial = new BigInteger(cert.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
        var onChain = await p.Chain.ListCertificatesAsync(owner, "valid", serial, cancellationToken).ConfigureAwait(false);
        var entry = onChain.FirstOrDefault()?.Certificate;
        if (entry is null)
        {
            return "tls: attempt to use non-existing or revoked certificate";
        }

        using var root = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(entry.Cert.Span));
        using var key = ECDsa.Create();
        key.ImportFromPem(Encoding.ASCII.GetString(entry.Pubkey.Span).Replace("EC PUBLIC KEY", "PUBLIC KEY", StringComparison.Ordinal));
        if (!SignedBy(cert.RawData, key))
        {
            return "tls: unable to verify certificate: invalid certificate signature";
        }

        var now = p.Time.GetUtcNow().UtcDateTime;
        foreach (var c in new[] { cert, root })
        {
            if (now < c.NotBefore.ToUniversalTime() || now > c.NotAfter.ToUniversalTime())
            {
                return "tls: unable to verify certificate: x509: certificate has expired or is not yet valid";
            }

            var usage = c.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (usage is not null && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is ClientAuthOid or AnyUsageOid))
            {
                return "tls: unable to verify certificate: x509: certificate specifies an incompatible key usage";
            }
        }

        return null;
    }

    private static bool SignedBy(byte[] certDer, ECDsa key)
    {
        try
        {
            var reader = new AsnReader(certDer, AsnEncodingRules.DER).ReadSequence();
            var tbs = reader.ReadEncodedValue().ToArray();
            reader.ReadSequence();
            var signature = reader.ReadBitString(out _);
            return key.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }
}
