using System.Security.Cryptography;
using System.Text;
using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using NBitcoin;

namespace Flock.AkashClient.Tests;

/// <summary>
/// A deterministic account (BIP39 entropy = SHA-256 of the name) that also keeps its secrets — the mnemonic and
/// the raw private key — so tests can prove neither ever leaks into exceptions or logs.
/// </summary>
public sealed class TestAccount : IDisposable
{
    private TestAccount(string mnemonic, Wallet wallet, byte[] privateKey)
    {
        Mnemonic = mnemonic;
        Wallet = wallet;
        PrivateKey = privateKey;
    }

    public string Mnemonic { get; }

    public Wallet Wallet { get; }

    public byte[] PrivateKey { get; }

    public string Address => Wallet.Address;

    public static TestAccount Named(string name)
    {
        var entropy = SHA256.HashData(Encoding.UTF8.GetBytes(name))[..16];
        var mnemonic = new Mnemonic(Wordlist.English, entropy).ToString();
        var keyPath = KeyPath.Parse(AkashNetwork.DerivationPath[2..]);
        var privateKey = new Mnemonic(mnemonic, Wordlist.English).DeriveExtKey().Derive(keyPath).PrivateKey.ToBytes();
        return new TestAccount(mnemonic, Wallet.FromMnemonic(mnemonic), privateKey);
    }

    /// <summary>A second wallet on the same key: another operator replica (or a human with the CLI) signing behind our back.</summary>
    public Wallet Twin() => Wallet.FromMnemonic(Mnemonic);

    /// <summary>Every form in which the secret could leak: the phrase, any three consecutive words, the key in hex and base64.</summary>
    public IEnumerable<string> SecretForms()
    {
        yield return Mnemonic;
        var words = Mnemonic.Split(' ');
        for (var i = 0; i + 3 <= words.Length; i++)
        {
            yield return string.Join(' ', words[i..(i + 3)]);
        }

        yield return Convert.ToHexString(PrivateKey);
        yield return Convert.ToHexStringLower(PrivateKey);
        yield return Convert.ToBase64String(PrivateKey);
    }

    public void Dispose() => Wallet.Dispose();
}
