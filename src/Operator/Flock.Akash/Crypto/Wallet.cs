using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Flock.Akash.Chain;
using CosmosPubKey = Flock.Akash.Protos.CosmosCryptoSecp256k1.PubKey;
using Google.Protobuf;
using NBitcoin;
using NBitcoin.Crypto;

namespace Flock.Akash.Crypto;

/// <summary>
/// One Akash account derived from a BIP39 mnemonic: secp256k1 key at m/44'/118'/0'/0/0, compressed public key,
/// bech32 address RIPEMD160(SHA256(pubkey)). The private key lives only in this object's memory: it is never
/// exposed, printed (ToString shows the address) or put into an exception, and Dispose wipes it.
/// </summary>
public sealed class Wallet : IDisposable
{
    private static readonly BigInteger CurveOrder = BigInteger.Parse(
        "0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    private static readonly BigInteger HalfOrder = CurveOrder >> 1;

    private readonly Key _key;
    private readonly byte[] _publicKey;
    private bool _disposed;

    private Wallet(Key key, string prefix)
    {
        _key = key;
        _publicKey = key.PubKey.ToBytes(); // NBitcoin keys are compressed by default: 33 bytes.
        Address = Bech32.Encode(prefix, AddressBytes(_publicKey));
    }

    /// <summary>The account's bech32 address (akash1…).</summary>
    public string Address { get; }

    /// <summary>A copy of the 33-byte compressed public key.</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>
    /// Derives the wallet from a mnemonic. Surrounding whitespace, repeated spaces and upper case are tolerated
    /// (a secret file often ends with a newline); anything else wrong gives <see cref="InvalidMnemonicException"/>.
    /// </summary>
    public static Wallet FromMnemonic(string mnemonic, string passphrase = "", string prefix = AkashNetwork.AddressPrefix, string path = AkashNetwork.DerivationPath)
    {
        ArgumentNullException.ThrowIfNull(passphrase);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (string.IsNullOrWhiteSpace(mnemonic))
        {
            throw new InvalidMnemonicException("it is empty");
        }

        var words = mnemonic.Normalize(NormalizationForm.FormKD).ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length is not (12 or 15 or 18 or 21 or 24))
        {
            throw new InvalidMnemonicException($"it has {words.Length} words, expected 12, 15, 18, 21 or 24");
        }

        var wordlist = Wordlist.English;
        if (words.Any(w => !wordlist.WordExists(w, out _)))
        {
            throw new InvalidMnemonicException("a word is not in the English BIP39 word list");
        }

        Mnemonic parsed;
        try
        {
            parsed = new Mnemonic(string.Join(' ', words), wordlist);
        }
#pragma warning disable CA1031 // Any parser failure becomes the typed error; its message is dropped because it might quote a word.
        catch (Exception)
#pragma warning restore CA1031
        {
            throw new InvalidMnemonicException("it could not be parsed");
        }

        if (!parsed.IsValidChecksum)
        {
            throw new InvalidMnemonicException("its checksum does not match (a word is wrong or out of order)");
        }

        var keyPath = KeyPath.Parse(path.StartsWith("m/", StringComparison.Ordinal) ? path[2..] : path);
        var master = parsed.DeriveExtKey(passphrase);
        var extKey = master.Derive(keyPath);
        // The master key and its private key are not needed past derivation: wipe them now rather than at GC.
        master.PrivateKey.Dispose();
        return new Wallet(extKey.PrivateKey, prefix);
    }

    /// <summary>The 20-byte account id: RIPEMD160(SHA256(compressed public key)).</summary>
    public static byte[] AddressBytes(ReadOnlySpan<byte> compressedPublicKey)
    {
        if (compressedPublicKey.Length != 33)
        {
            throw new ArgumentException("A compressed secp256k1 public key has 33 bytes.", nameof(compressedPublicKey));
        }

        return NBitcoin.Crypto.Hashes.RIPEMD160(SHA256.HashData(compressedPublicKey));
    }

    /// <summary>The public key as the Any a SignerInfo carries (/cosmos.crypto.secp256k1.PubKey).</summary>
    public Google.Protobuf.WellKnownTypes.Any PublicKeyAny() =>
        TypeUrls.Pack(new CosmosPubKey { Key = ByteString.CopyFrom(_publicKey) });

    /// <summary>
    /// Signs bytes the Cosmos way: ECDSA over SHA-256(<paramref name="message"/>), RFC 6979 deterministic nonce (no extra
    /// entropy, so the same bytes always give the same signature), 64-byte r||s with low S (the SDK rejects high S).
    /// </summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(message, digest);
        return SignDigest(digest);
    }

    /// <summary>Signs a 32-byte digest (see <see cref="Sign"/>).</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (digest.Length != 32)
        {
            throw new ArgumentException("The digest must be 32 bytes.", nameof(digest));
        }

        // useLowR: false. NBitcoin's default grinds the nonce with extra entropy until R is short (a Bitcoin size
        // trick), which is no longer plain RFC 6979 and would not match cosmjs or the Go SDK byte for byte.
        var signature = _key.Sign(new uint256(digest), useLowR: false);
        return NormalizeLowS(signature.ToCompact());
    }

    /// <summary>Checks a 64-byte r||s signature over SHA-256(<paramref name="message"/>) against this wallet's key.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => VerifyWith(_publicKey, message, signature);

    /// <summary>Checks a 64-byte r||s signature over SHA-256(<paramref name="message"/>) against a compressed public key.</summary>
    public static bool VerifyWith(ReadOnlySpan<byte> compressedPublicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != 64 || compressedPublicKey.Length != 33 || !ECDSASignature.TryParseFromCompact(signature, out var sig))
        {
            return false;
        }

        PubKey pub;
        try
        {
            pub = new PubKey(compressedPublicKey);
        }
        catch (FormatException)
        {
            return false;
        }
        catch (ArgumentException)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(message, digest);
        // The SDK rejects high-S signatures; so do we.
        return sig.IsLowS && pub.Verify(new uint256(digest), sig);
    }

    /// <summary>Shows the address only.</summary>
    public override string ToString() => $"Wallet({Address})";

    /// <summary>Wipes the private key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _key.Dispose();
    }

    // libsecp256k1 already returns low-S; this keeps the promise even if the signer underneath ever changes.
    internal static byte[] NormalizeLowS(byte[] compact)
    {
        var s = new BigInteger(compact.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (s <= HalfOrder)
        {
            return compact;
        }

        var low = (CurveOrder - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(compact, 32, 32);
        low.CopyTo(compact, 64 - low.Length);
        return compact;
    }
}
