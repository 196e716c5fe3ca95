using System.Numerics;
using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Sandbox.AkashChain.State;
using Flock.Sandbox.AkashChain.Tx;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>Shared ValidateBasic pieces: addresses, coins, deposits.</summary>
internal static class Validation
{
    public static bool IsAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        return Bech32.TryDecode(address, out var hrp, out var data) && hrp == AkashNetwork.AddressPrefix && data.Length == 20;
    }

    public static void RequireAddress(string? address, string what)
    {
        if (!IsAddress(address))
        {
            throw ChainErrors.InvalidAddress.Fail($"invalid {what} address: {address}");
        }
    }

    /// <summary>An integer coin amount; "invalid coins" otherwise.</summary>
    public static BigInteger CoinAmount(Coin? coin)
    {
        if (coin is null || string.IsNullOrEmpty(coin.Denom))
        {
            throw ChainErrors.InvalidCoins.Fail("empty coin");
        }

        return Dec.ParseInt(coin.Amount) ?? throw ChainErrors.InvalidCoins.Fail($"{coin.Amount}{coin.Denom}");
    }

    /// <summary>A DecCoin amount in scaled form; "invalid coins" otherwise.</summary>
    public static BigInteger DecAmount(DecCoin? coin)
    {
        if (coin is null || string.IsNullOrEmpty(coin.Denom))
        {
            throw ChainErrors.InvalidCoins.Fail("empty decimal coin");
        }

        return Dec.ParseWire(coin.Amount) ?? throw ChainErrors.InvalidCoins.Fail($"{coin.Amount}{coin.Denom}");
    }

    /// <summary>
    /// Deposit.Validate (chain-sdk types/deposit/v1): a valid coin, then a non-empty list of distinct known sources;
    /// source errors are codespace "akash" code 4 "invalid deposit source".
    /// </summary>
    public static BigInteger DepositAmount(Deposit? deposit, TxError missing)
    {
        if (deposit?.Amount is null)
        {
            throw missing.Fail("empty deposit");
        }

        var amount = CoinAmount(deposit.Amount);
        var invalidSource = new TxError("akash", 4, "invalid deposit source");
        if (deposit.Sources.Count == 0)
        {
            throw invalidSource.Fail("empty deposit sources");
        }

        var seen = new HashSet<Source>();
        foreach (var source in deposit.Sources)
        {
            if (source is not (Source.Balance or Source.Grant))
            {
                throw invalidSource.Fail($"empty deposit source type {(int)source}");
            }

            if (!seen.Add(source))
            {
                throw invalidSource.Fail($"duplicate deposit source type {(int)source}");
            }
        }

        return amount;
    }
}
