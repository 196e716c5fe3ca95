using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// An Akash mTLS certificate as chain-sdk's key pair manager makes it (go/util/tls/key_pair_manager.go): ECDSA
/// P-256, self-signed, serial = Unix nanoseconds, subject CN = the owner's address plus attribute 2.23.133.2.6 =
/// "v0.0.1", key usage DataEncipherment|KeyEncipherment (critical), extended key usage ClientAuth (+ServerAuth when
/// domains are given, with them as SANs), basic constraints CA:false (critical), valid 365 days by default. The chain
/// stores it as PEM "CERTIFICATE" plus the public key as PEM "EC PUBLIC KEY" (PKIX). Owns the private key: dispose it.
/// </summary>
public sealed class ClientCertificate : IDisposable
{
    /// <summary>chain-sdk AuthVersionOID, written into the subject with the value "v0.0.1".</summary>
    public const string AuthVersionOid = "2.23.133.2.6";

    /// <summary>Default validity of `provider-services tx cert generate` (go/cli/cert_tx.go).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    private ClientCertificate(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Serial = SerialOf(certificate);
    }

    /// <summary>The certificate with its private key (what an mTLS client presents).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The owner address in the CN.</summary>
    public string Owner => Certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>Decimal serial: the id the chain stores the certificate under (cert.v1 ID.serial).</summary>
    public string Serial { get; }

    /// <summary>PEM "CERTIFICATE" (MsgCreateCertificate.cert).</summary>
    public string CertificatePem => PemEncoding.WriteString("CERTIFICATE", Certificate.RawData);

    /// <summary>PEM "EC PUBLIC KEY" of the PKIX public key (MsgCreateCertificate.pubkey).</summary>
    public string PublicKeyPem => PemEncoding.WriteString("EC PUBLIC KEY", Certificate.PublicKey.ExportSubjectPublicKeyInfo());

    /// <summary>Generates a key pair and certificate for <paramref name="owner"/>.</summary>
    /// <param name="owner">The account address (CN and issuer CN).</param>
    /// <param name="notBefore">Start of validity; now when null.</param>
    /// <param name="notAfter">End of validity; <paramref name="notBefore"/> + 365 days when null.</param>
    /// <param name="domains">Host names or IP addresses for a server certificate (adds ServerAuth and SANs); none for a client.</param>
    /// <param name="time">Clock for the defaults and the serial.</param>
    public static ClientCertificate Create(string owner, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null, IEnumerable<string>? domains = null, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        var from = notBefore ?? now;
        var to = notAfter ?? from + DefaultValidity;
        if (to <= from)
        {
            throw new ArgumentException("A certificate must end after it starts.", nameof(notAfter));
        }

        // The builder emits RDNs last-added first; Go's pkix.Name writes CN, then ExtraNames. So this order gives CN, OID.
        var names = new X500DistinguishedNameBuilder();
        names.Add(AuthVersionOid, "v0.0.1", UniversalTagNumber.PrintableString);
        names.AddCommonName(owner);
        var subject = names.Build();

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DataEncipherment | X509KeyUsageFlags.KeyEncipherment, critical: true));
        var list = domains?.ToList() ?? [];
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") };
        if (list.Count > 0)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        if (list.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var d in list)
            {
                if (IPAddress.TryParse(d, out var ip))
                {
                    san.AddIpAddress(ip);
                }
                else
                {
                    san.AddDnsName(d);
                }
            }

            request.CertificateExtensions.Add(san.Build());
            var dns = list.Where(d => !IPAddress.TryParse(d, out _)).ToList();
            if (dns.Count > 0)
            {
                request.CertificateExtensions.Add(NameConstraints(dns));
            }
        }

        // Go: big.NewInt(time.Now().UTC().UnixNano()) — a positive integer, written big-endian.
        var nanos = (now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        var serial = new BigInteger(nanos).ToByteArray(isUnsigned: true, isBigEndian: true);
        using var created = request.Create(subject, X509SignatureGenerator.CreateForECDsa(key), from, to, serial);
        using var withKey = created.CopyWithPrivateKey(key);
        return new ClientCertificate(Exportable(withKey));
    }

    /// <summary>Loads a certificate and its PKCS#8 private key from PEM (as stored in a Kubernetes Secret).</summary>
    public static ClientCertificate FromPem(string certificatePem, string privateKeyPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(certificatePem);
        ArgumentException.ThrowIfNullOrEmpty(privateKeyPem);
        try
        {
            using var loaded = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
            return new ClientCertificate(Exportable(loaded));
        }
        catch (CryptographicException)
        {
            // The library's message could quote key material in odd cases; say only what is wrong.
            throw new ArgumentException("The certificate PEM or its private key PEM is invalid, or they do not belong together.");
        }
    }

    /// <summary>PKCS#8 "PRIVATE KEY" PEM, to persist the key (a secret: store it in a Secret, never log it).</summary>
    public string ExportPrivateKeyPem()
    {
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no private key.");
        return PemEncoding.WriteString("PRIVATE KEY", key.ExportPkcs8PrivateKey());
    }

    /// <summary>The decimal serial of a certificate, as the chain keys it (big-endian unsigned integer).</summary>
    public static string SerialOf(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
    }

    public void Dispose() => Certificate.Dispose();

    // Go sets PermittedDNSDomainsCritical + PermittedDNSDomains for DNS names (not IPs): a critical name-constraints
    // extension { permittedSubtrees [0] { GeneralSubtree { dNSName } … } }.
    private static X509Extension NameConstraints(IEnumerable<string> domains)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                foreach (var domain in domains)
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteCharacterString(UniversalTagNumber.IA5String, domain, new Asn1Tag(TagClass.ContextSpecific, 2));
                    }
                }
            }
        }

        return new X509Extension("2.5.29.30", writer.Encode(), critical: true);
    }

    /// <summary>Shows owner and serial only.</summary>
    public override string ToString() => $"ClientCertificate({Owner}, serial {Serial})";

    // An ephemeral key cannot be used by TLS on every platform; a PKCS#12 round trip gives a normal key handle.
    private static X509Certificate2 Exportable(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), password: null, X509KeyStorageFlags.Exportable);
}
