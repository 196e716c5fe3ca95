using Flock.Crds.V1Alpha1;
using Flock.Akash.Crypto;
using Flock.Sandbox.AkashChain;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>A namespace for an Akash worker: its FLock and Hugging Face Secrets, a fresh account's mnemonic in Secret "wallet", the account funded.</summary>
/// <param name="HfToken">The Hugging Face token stored in Secret "hf" (tests scan outputs for it).</param>
public sealed record AkashTestAccount(string Ns, string Owner, string Mnemonic, string HfToken)
{
    public static async Task<AkashTestAccount> CreateAsync(Sandbox sandbox, AkashChainSimulator chain, string prefix, string hfToken,
        ulong uact = 50_000_000, ulong uakt = 50_000_000)
    {
        await sandbox.InstallCrdsAsync();
        var ns = prefix + "-" + Guid.NewGuid().ToString("N")[..8];
        var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
        using var wallet = Wallet.FromMnemonic(mnemonic);
        var client = sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("flock", new() { ["api-key"] = "k-" + prefix }), ns);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("hf", new() { ["username"] = "u", ["token"] = hfToken }), ns);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("wallet", new() { ["mnemonic"] = mnemonic }), ns);
        if (uakt > 0) await chain.FundAsync(wallet.Address, uakt, "uakt");
        if (uact > 0) await chain.FundAsync(wallet.Address, uact, "uact");
        return new AkashTestAccount(ns, wallet.Address, mnemonic, hfToken);
    }

    /// <summary>The placement the Akash tests use: the account in Secret "wallet", 10000 uact/block at most, a 5 ACT deposit.</summary>
    public static PlacementSpec Placement(PlacementMode mode = PlacementMode.Akash, bool deposit = true) => new()
    {
        Mode = mode,
        Akash = new AkashPlacement
        {
            AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
            MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "10000" },
            Deposit = deposit ? new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" } : null,
        },
    };

    private static V1Secret Secret(string name, Dictionary<string, string> data) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, StringData = data };
}
