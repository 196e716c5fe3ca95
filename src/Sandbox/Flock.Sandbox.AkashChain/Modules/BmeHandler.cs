using System.Numerics;
using Flock.Akash.Chain;
using Flock.Akash.Protos.BmeV1;
using Flock.Sandbox.AkashChain.Tx;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>bme.v1 MsgMintACT: burn uakt, mint uact at the configured oracle rate (executed at once here).</summary>
internal static class BmeHandler
{
    public static void ValidateMint(MsgMintACT msg)
    {
        Validation.RequireAddress(msg.Owner, "owner");
        Validation.RequireAddress(msg.To, "to");
        if (msg.Owner != msg.To)
        {
            throw ChainErrors.BmeUnauthorized.Fail("owner and to addresses must match");
        }

        if (Validation.CoinAmount(msg.CoinsToBurn).IsZero)
        {
            throw ChainErrors.BmeInvalidAmount.Fail("amount must not be 0");
        }
    }

    public static void Mint(MsgContext ctx, MsgMintACT msg)
    {
        if (msg.CoinsToBurn.Denom != AkashNetwork.Uakt)
        {
            throw ChainErrors.BmeInvalidDenom.Fail();
        }

        var burn = Validation.CoinAmount(msg.CoinsToBurn);
        ctx.State.Debit(msg.Owner, AkashNetwork.Uakt, burn);
        var rate = new BigInteger(decimal.Round(ctx.Options.ActPerAkt * 1_000_000_000_000m, 0));
        var minted = burn * rate / 1_000_000_000_000;
        if (minted.IsZero)
        {
            throw new TxError("bme", 16, "result value is less then precision of the denom").Fail();
        }

        ctx.State.Credit(msg.To, AkashNetwork.Uact, minted);
    }
}
