namespace Flock.Akash.Chain;

/// <summary>Fixed facts of the Akash chain the library signs for (see shared/research/akash.md §1, §4).</summary>
public static class AkashNetwork
{
    /// <summary>Mainnet chain id; it goes into every SignDoc, so a signature for one chain is worthless on another.</summary>
    public const string MainnetChainId = "akashnet-2";

    /// <summary>Bech32 human-readable part of account addresses.</summary>
    public const string AddressPrefix = "akash";

    /// <summary>BIP44 path of the first account (coin type 118, the Cosmos SDK default the Akash CLI keeps).</summary>
    public const string DerivationPath = "m/44'/118'/0'/0/0";

    /// <summary>Micro-AKT: gas fees are still paid in it.</summary>
    public const string Uakt = "uakt";

    /// <summary>Micro-ACT: since node v2.0.0 the only denom mainnet accepts for new deployment prices and deposits.</summary>
    public const string Uact = "uact";
}
