using System.Numerics;
using System.Text;
using Flock.Akash.Protos.CertV1;
using Google.Protobuf;

namespace Flock.Akash.Chain;

/// <summary>
/// cert.v1 messages (signer = owner): publish an mTLS certificate so providers accept it, and revoke it.
/// The chain checks the certificate against its public key and that the CN is the owner (chain-sdk go/node/cert/v1/cert.go).
/// </summary>
public static class CertMessages
{
    /// <summary>MsgCreateCertificate from PEM "CERTIFICATE" and PEM "EC PUBLIC KEY".</summary>
    public static MsgCreateCertificate Create(string owner, string certificatePem, string publicKeyPem)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        ArgumentException.ThrowIfNullOrEmpty(certificatePem);
        ArgumentException.ThrowIfNullOrEmpty(publicKeyPem);
        if (!certificatePem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new ArgumentException("The certificate must be a PEM \"CERTIFICATE\" block.", nameof(certificatePem));
        }

        if (!publicKeyPem.Contains("-----BEGIN EC PUBLIC KEY-----", StringComparison.Ordinal))
        {
            throw new ArgumentException("The public key must be a PEM \"EC PUBLIC KEY\" block (the chain rejects other block types).", nameof(publicKeyPem));
        }

        return new MsgCreateCertificate
        {
            Owner = owner,
            Cert = ByteString.CopyFrom(Encoding.ASCII.GetBytes(certificatePem)),
            Pubkey = ByteString.CopyFrom(Encoding.ASCII.GetBytes(publicKeyPem)),
        };
    }

    /// <summary>MsgCreateCertificate for a generated certificate; its CN must be <paramref name="owner"/>.</summary>
    public static MsgCreateCertificate Create(string owner, ProviderApi.ClientCertificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Owner != owner)
        {
            throw new ArgumentException($"The certificate's CN is {certificate.Owner}, not the owner {owner}; the chain would reject it.", nameof(certificate));
        }

        return Create(owner, certificate.CertificatePem, certificate.PublicKeyPem);
    }

    /// <summary>MsgRevokeCertificate of the owner's certificate with this decimal serial.</summary>
    public static MsgRevokeCertificate Revoke(string owner, string serial)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (string.IsNullOrEmpty(serial) || !BigInteger.TryParse(serial, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new ArgumentException("A certificate serial is a decimal integer.", nameof(serial));
        }

        return new MsgRevokeCertificate { Id = new ID { Owner = owner, Serial = serial } };
    }
}
