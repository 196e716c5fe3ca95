using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flock.Akash.Protos.CertV1;
using Flock.Sandbox.AkashChain.Tx;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>cert.v1 Msg: publish and revoke the owner's mTLS client certificates (serial = certificate serial, decimal).</summary>
internal static class CertHandler
{
    public static void Create(MsgContext ctx, MsgCreateCertificate msg)
    {
        X509Certificate2 cert;
        try
        {
            cert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(msg.Cert.Span));
        }
        catch (CryptographicException)
        {
            throw ChainErrors.InvalidCertificateValue.Fail();
        }

        using (cert)
        {
            if (!Encoding.ASCII.GetString(msg.Pubkey.Span).Contains("-----BEGIN EC PUBLIC KEY-----", StringComparison.Ordinal))
            {
                throw ChainErrors.InvalidPubkeyValue.Fail();
            }

            // The chain requires CN == owner address.
            if (cert.GetNameInfo(X509NameType.SimpleName, forIssuer: false) != msg.Owner)
            {
                throw ChainErrors.CertInvalidAddress.Fail("certificate CN does not match owner");
            }

            var serial = new BigInteger(cert.GetSerialNumber(), isUnsigned: true, isBigEndian: false).ToString(CultureInfo.InvariantCulture);
            if (ctx.State.Certificates.ContainsKey((msg.Owner, serial)))
            {
                throw ChainErrors.CertificateExists.Fail();
            }

            ctx.State.Certificates[(msg.Owner, serial)] = new Certificate { State = Flock.Akash.Protos.CertV1.State.Valid, Cert = msg.Cert, Pubkey = msg.Pubkey };
        }
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
}
