using CsCheck;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.CosmosCryptoSecp256k1;
using Flock.Akash.Chain;
using System.Numerics;

namespace Flock.Akash.Tests;

public class WalletTests
{
    // The BIP39 test vector (all "abandon" + "about"): a public test phrase, not an account anyone uses.
    // Expected address and key as @cosmjs/proto-signing 0.39 derives them with prefix "akash".
    private const string TestVector = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    [Fact]
    public void Test_vector_gives_the_address_and_key_cosmjs_gives()
    {
        using var wallet = Wallet.FromMnemonic(TestVector);
        Assert.Equal("akash19rl4cm2hmr8afy4kldpxz3fka4jguq0a3mq6x0", wallet.Address);
        Assert.Equal("024f4e2ad99c34d60b9ba6283c9431a8418af8673212961f97a77b6377fcd05b62", Convert.ToHexStringLower(wallet.PublicKey));
    }

    [Fact]
    public void Address_is_bech32_akash_of_ripemd160_sha256_of_the_compressed_key()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        Assert.StartsWith("akash1", wallet.Address, StringComparison.Ordinal);
        Assert.Equal(44, wallet.Address.Length);
        Assert.True(Bech32.TryDecode(wallet.Address, out var hrp, out var data));
        Assert.Equal("akash", hrp);
        Assert.Equal(Wallet.AddressBytes(wallet.PublicKey), data);
        Assert.Equal(33, wallet.PublicKey.Length);
        Assert.Contains(wallet.PublicKey[0], new byte[] { 2, 3 });
    }

    [Fact]
    public void Surrounding_whitespace_newlines_and_upper_case_give_the_same_account()
    {
        var m = TestMnemonics.One();
        using var plain = Wallet.FromMnemonic(m);
        using var messy = Wallet.FromMnemonic("  " + m.ToUpperInvariant().Replace(" ", "  \t", StringComparison.Ordinal) + "\n");
        Assert.Equal(plain.Address, messy.Address);
    }

    [Fact]
    public void A_passphrase_gives_another_account()
    {
        var m = TestMnemonics.One();
        using var a = Wallet.FromMnemonic(m);
        using var b = Wallet.FromMnemonic(m, passphrase: "x");
        Assert.NotEqual(a.Address, b.Address);
    }

    [Fact]
    public void A_word_outside_the_list_is_a_typed_error_that_does_not_quote_the_mnemonic()
    {
        var m = TestMnemonics.One();
        var words = m.Split(' ');
        words[3] = "notaword";
        var bad = string.Join(' ', words);
        var e = Assert.Throws<InvalidMnemonicException>(() => Wallet.FromMnemonic(bad));
        SecretScan.NoMnemonic(e.Message, bad);
        SecretScan.NoPhrase(e.ToString(), bad);
        Assert.DoesNotContain("notaword", e.ToString(), StringComparison.Ordinal);
        Assert.Null(e.InnerException);
    }

    [Fact]
    public void Swapped_words_fail_the_checksum_without_quoting_them()
    {
        var m = TestMnemonics.Corpus(40).First(x =>
        {
            var w = x.Split(' ');
            (w[0], w[1]) = (w[1], w[0]);
            try
            {
                using var _ = Wallet.FromMnemonic(string.Join(' ', w));
                return false;
            }
            catch (InvalidMnemonicException)
            {
                return true;
            }
        });
        var words = m.Split(' ');
        (words[0], words[1]) = (words[1], words[0]);
        var swapped = string.Join(' ', words);
        var e = Assert.Throws<InvalidMnemonicException>(() => Wallet.FromMnemonic(swapped));
        Assert.Contains("checksum", e.Message, StringComparison.Ordinal);
        SecretScan.NoMnemonic(e.Message, swapped);
        SecretScan.NoPhrase(e.ToString(), swapped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("abandon abandon abandon")]
    public void Empty_or_short_phrases_are_typed_errors(string mnemonic)
    {
        var e = Assert.Throws<InvalidMnemonicException>(() => Wallet.FromMnemonic(mnemonic));
        SecretScan.NoMnemonic(e.Message, mnemonic);
    }

    [Fact]
    public void Eleven_of_twelve_words_is_rejected_and_the_words_stay_out_of_the_message()
    {
        var m = string.Join(' ', TestMnemonics.One().Split(' ').Take(11));
        var e = Assert.Throws<InvalidMnemonicException>(() => Wallet.FromMnemonic(m));
        Assert.Contains("11 words", e.Message, StringComparison.Ordinal);
        SecretScan.NoMnemonic(e.Message, m);
    }

    [Fact]
    public void ToString_shows_the_address_and_nothing_of_the_key()
    {
        var m = TestMnemonics.One();
        using var wallet = Wallet.FromMnemonic(m);
        var text = wallet.ToString();
        Assert.Equal($"Wallet({wallet.Address})", text);
        SecretScan.NoMnemonic(text, m);
    }

    [Fact]
    public void Signatures_are_deterministic_64_bytes_and_verify()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var message = "sign me"u8.ToArray();
        var first = wallet.Sign(message);
        var second = wallet.Sign(message);
        Assert.Equal(64, first.Length);
        Assert.Equal(first, second);
        Assert.True(wallet.Verify(message, first));
        Assert.False(wallet.Verify("sign me!"u8, first));
    }

    [Fact]
    public void Signature_of_the_test_vector_equals_cosmjs_signDirect()
    {
        // cosmjs: signDirect(makeSignDoc(0x010203, 0x0405, "akashnet-2", 7)) with the test-vector wallet.
        var signDoc = Tx.TxBuilder.SignDoc(Google.Protobuf.ByteString.CopyFrom(1, 2, 3), Google.Protobuf.ByteString.CopyFrom(4, 5), "akashnet-2", 7);
        using var wallet = Wallet.FromMnemonic(TestVector);
        var signature = wallet.Sign(Google.Protobuf.MessageExtensions.ToByteArray(signDoc));
        Assert.Equal("RIqgU+UqS+pbJlsgVWtXHHu5T2sBPRBYzjtAZ8jwFeYpGuEDyvCyESQC2icX6UdkLLCENo71Pv5cyqa70svxVg==", Convert.ToBase64String(signature));
    }

    [Fact]
    public void Every_signature_has_low_S()
    {
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        Gen.Byte.Array[Gen.Int[0, 200]].Sample(message =>
        {
            var sig = wallet.Sign(message);
            var s = new BigInteger(sig.AsSpan(32), isUnsigned: true, isBigEndian: true);
            return s <= n / 2 && wallet.Verify(message, sig);
        }, iter: 200);
    }

    [Fact]
    public void A_high_S_signature_is_normalised_and_a_high_S_signature_does_not_verify()
    {
        var n = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var message = "x"u8.ToArray();
        var low = wallet.Sign(message);
        var s = new BigInteger(low.AsSpan(32), isUnsigned: true, isBigEndian: true);
        var high = (byte[])low.Clone();
        var highS = (n - s).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(high, 32, 32);
        highS.CopyTo(high, 64 - highS.Length);

        Assert.False(Wallet.VerifyWith(wallet.PublicKey, message, high));
        Assert.Equal(low, Wallet.NormalizeLowS((byte[])high.Clone()));
    }

    [Fact]
    public void A_disposed_wallet_refuses_to_sign()
    {
        var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        wallet.Dispose();
        Assert.Throws<ObjectDisposedException>(() => wallet.Sign("x"u8));
    }

    [Fact]
    public void Public_key_any_is_the_cosmos_secp256k1_type()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var any = wallet.PublicKeyAny();
        Assert.Equal("/cosmos.crypto.secp256k1.PubKey", any.TypeUrl);
        Assert.Equal(wallet.PublicKey, TypeUrls.Unpack<PubKey>(any).Key.ToByteArray());
    }
}
