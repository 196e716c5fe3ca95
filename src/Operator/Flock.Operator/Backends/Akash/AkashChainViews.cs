using System.Globalization;
using Flock.Akash.Chain;
using Flock.Akash.Protos.CosmosBaseV1Beta1;

namespace Flock.Operator.Backends.Akash;

/// <summary>An amount to deposit, in whole units of the denom (the chain takes Coins, not DecCoins).</summary>
public sealed record DepositAmount(decimal Amount, string Denom)
{
    public Coin ToCoin() => AkashMessages.Coin((ulong)decimal.Floor(Amount), Denom);
}

/// <summary>Chain answers in the forms the ledger works with (LegacyDec wire strings → decimals).</summary>
public static class AkashChainViews
{
    /// <summary>A DecCoin's amount (LegacyDec scaled by 10^18 on the wire).</summary>
    public static decimal Amount(DecCoin coin) => Parse(LegacyDec.FromWire(coin.Amount));

    /// <summary>The escrow account's settled state; null when there is no account.</summary>
    public static EscrowSnapshot? Snapshot(Flock.Akash.Protos.EscrowTypesV1.Account? account)
    {
        if (account?.State is not { } state) return null;
        var funds = state.Funds.FirstOrDefault();
        var transferred = state.Transferred.FirstOrDefault();
        var denom = funds?.Denom ?? transferred?.Denom ?? "uact";
        return new EscrowSnapshot(denom,
            funds is null ? 0 : Parse(LegacyDec.FromWire(funds.Amount)),
            transferred is null ? 0 : Parse(LegacyDec.FromWire(transferred.Amount)),
            state.SettledAt);
    }

    private static decimal Parse(string plain) => decimal.Parse(plain, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
}
