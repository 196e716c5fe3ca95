using Flock.Akash.Protos.CosmosBankV1Beta1;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>bank MsgSend, so tests and demos can move coins with real transactions.</summary>
internal static class BankHandler
{
    public static void Send(MsgContext ctx, MsgSend msg)
    {
        Validation.RequireAddress(msg.ToAddress, "recipient");
        foreach (var coin in msg.Amount)
        {
            var amount = Validation.CoinAmount(coin);
            ctx.State.Debit(msg.FromAddress, coin.Denom, amount);
            ctx.State.Credit(msg.ToAddress, coin.Denom, amount);
        }
    }
}
