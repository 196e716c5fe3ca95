using System.Formats.Asn1;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flock.Akash.Protos.CertV1;
using Flock.Sandbox.AkashChain.Tx;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>
/// cert.v1 Msg: publish and revoke mTLS certificates (node x/cert keeper, chain-sdk go/node/cert/v1/{cert,msgs}.go).
/// ValidateBasic runs ParseAndValidateCertificate: one PEM "EC PUBLIC KEY" block with a PKIX ECDSA key, one PEM
/// "CERTIFICATE" block whose signature that key verifies, and a CN equal to the owner. Validity dates are not
/// checked by the chain (an expired certificate can be published; providers refuse it at the handshake).
/// The id's serial is the certificate serial in decimal.
/// </summary>
internal static class CertHandler
{
    public static void ValidateCreate(MsgCreateCertificate msg)
    {
        if (!Validation.IsAddress(msg.Owner))
        {
            throw ChainErrors.InvalidAddress.Fail("MsgCreateCertificate: Invalid Owner Address");
        }

        using var cert = ParseAndValidate(msg.Owner, msg.Cert.Span, msg.Pubkey.Span);
    }

    public static void ValidateRevoke(MsgRevokeCertificate msg)
    {
        if (msg.Id is null || !Validation.IsAddress(msg.Id.Owner))
        {
            throw ChainErrors.InvalidAddress.Fail("MsgRevoke: Invalid Owner Address");
        }

        if (!BigInteger.TryParse(msg.Id.Serial, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw ChainErrors.InvalidSerialNumber.Fail();
        }
    }

    public static void Create(MsgContext ctx, MsgCreateCertificate msg)
    {
        using var cert = ParseAndValidate(msg.Owner, msg.Cert.Span, msg.Pubkey.Span);
        var serial = new BigInteger(cert.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true).ToString(CultureInfo.InvariantCulture);
        if (ctx.State.Certificates.ContainsKey((msg.Owner, serial)))
        {
            throw ChainErrors.CertificateExists.Fail();
        }

        ctx.State.Certificates[(msg.Owner, serial)] = new Certificate { State = Flock.Akash.Protos.CertV1.State.Valid, Cert = msg.Cert, Pubkey = msg.Pubkey };
    }

    public static void Revoke(MsgContext ctx, MsgRevokeCertificate msg)
    {
        if (msg.Id is null || !ctx.State.Certificates.TryGetValue((msg.Id.Owner, msg.Id.Serial), out var cert))
        {
            throw ChainErrors.CertificateNotFound.Fail();
        }

        if (cert.State == Flock.Akash.Protos.CertV1.State.Revoked)
        {
            throw ChainErrors.CertificateAlreadyRevoked.Fail();
        }

        cert.State = Flock.Akash.Protos.CertV1.State.Revoked;
    }

    private static X509Certificate2 ParseAndValidate(string owner, ReadOnlySpan<byte> certPem, ReadOnlySpan<byte> pubkeyPem)
    {
        if (!SinglePem(pubkeyPem, out var pubLabel, out var pubDer))
        {
            throw ChainErrors.InvalidPubkeyValue.Fail();
        }

        if (pubLabel != "EC PUBLIC KEY")
        {
            throw ChainErrors.InvalidPubkeyValue.FailAppend("invalid pem block type");
        }

        using var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(pubDer, out _);
        }
        catch (CryptographicException)
        {
            throw ChainErrors.InvalidPubkeyValue.FailAppend("x509: failed to parse public key");
        }

        if (!SinglePem(certPem, out var certLabel, out var certDer))
        {
            throw ChainErrors.InvalidCertificateValue.Fail();
        }

        if (certLabel != "CERTIFICATE")
        {
            throw ChainErrors.InvalidCertificateValue.FailAppend("invalid pem block type");
        }

        X509Certificate2 cert;
        try
        {
            cert = X509CertificateLoader.LoadCertificate(certDer);
        }
        catch (CryptographicException)
        {
            throw ChainErrors.InvalidCertificateValue.FailAppend("x509: malformed certificate");
        }

        if (!SignedBy(certDer, key))
        {
            cert.Dispose();
            throw ChainErrors.InvalidCertificateValue.FailAppend("invalid certificate signature");
        }

        if (cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != owner)
        {
            cert.Dispose();
            throw ChainErrors.InvalidCertificateValue.FailAppend("CommonName does not match owner");
        }

        return cert;
    }

    // Go pem.Decode + "len(rest) > 0" check: exactly one block, nothing after it but whitespace.
    private static bool SinglePem(ReadOnlySpan<byte> data, out string label, out byte[] der)
    {
        label = string.Empty;
        der = [];
        var text = Encoding.ASCII.GetString(data);
        if (!PemEncoding.TryFind(text, out var fields))
        {
            return false;
        }

        if (text[fields.Location.End..].Trim().Length > 0)
        {
            return false;
        }

        label = text[fields.Label];
        der = Convert.FromBase64String(text[fields.Base64Data]);
        return true;
    }

    // ecdsa.VerifyASN1(pub, sha256(RawTBSCertificate), signature).
    private static bool SignedBy(byte[] certDer, ECDsa key)
    {
        try
        {
            var reader = new AsnReader(certDer, AsnEncodingRules.DER).ReadSequence();
            var tbs = reader.ReadEncodedValue().ToArray();
            reader.ReadSequence(); // signatureAlgorithm
            var signature = reader.ReadBitString(out _);
            return key.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }
}
