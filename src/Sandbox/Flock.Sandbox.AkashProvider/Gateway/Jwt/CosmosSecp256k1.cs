using System.Numerics;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Flock.Sandbox.AkashProvider.Gateway.Jwt;

/// <summary>
/// An account key's signature check as the provider runs it (cosmos-sdk crypto/keys/secp256k1/secp256k1_nocgo.go
/// PubKey.VerifySignature on decred secp256k1): exactly 64 bytes r||s, each read modulo the group order, S above half
/// the order refused (no malleable twin), ECDSA over SHA-256 of the message. The curve arithmetic is BouncyCastle's,
/// not the NBitcoin code the operator signs with, so the two sides do not share an implementation.
/// </summary>
internal static class CosmosSecp256k1
{
    private static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("secp256k1");
    private static readonly ECDomainParameters Domain = new(Curve.Curve, Curve.G, Curve.N, Curve.H);
    private static readonly BigInteger Order = new(Curve.N.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
    private static readonly BigInteger HalfOrder = Order >> 1;

    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64 || !TryDecodeKey(publicKey, out var key))
        {
            return false;
        }

        // decred ModNScalar.SetByteSlice reduces a 32-byte value modulo N rather than refusing it.
        var r = new BigInteger(signature[..32], isUnsigned: true, isBigEndian: true) % Order;
        var s = new BigInteger(signature[32..], isUnsigned: true, isBigEndian: true) % Order;
        if (s > HalfOrder || r.IsZero || s.IsZero)
        {
            return false;
        }

        var signer = new ECDsaSigner();
        signer.Init(false, key);
        return signer.VerifySignature(SHA256.HashData(message), ToBc(r), ToBc(s));
    }

    /// <summary>decred ParsePubKey: 33-byte compressed (02/03) or 65-byte uncompressed (04) point on the curve; no hybrid form.</summary>
    private static bool TryDecodeKey(ReadOnlySpan<byte> publicKey, out ECPublicKeyParameters key)
    {
        key = null!;
        var shapeOk = (publicKey.Length == 33 && publicKey[0] is 0x02 or 0x03) || (publicKey.Length == 65 && publicKey[0] == 0x04);
        if (!shapeOk)
        {
            return false;
        }

        try
        {
            key = new ECPublicKeyParameters(Curve.Curve.DecodePoint(publicKey.ToArray()), Domain);
            return true;
        }
        catch (ArgumentException)
        {
            return false; // x or y not a field element, or the point is not on the curve
        }
    }

    private static BcBigInteger ToBc(BigInteger value) => new(1, value.ToByteArray(isUnsigned: true, isBigEndian: true));
}
