using Flock.Akash.Protos.EscrowV1;
using Flock.Sandbox.AkashChain.State;
using Flock.Sandbox.AkashChain.Tx;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>escrow.v1 MsgAccountDeposit: anyone may top up an existing escrow account in its denom.</summary>
internal static class EscrowHandler
{
    public static void Deposit(MsgContext ctx, MsgAccountDeposit msg)
    {
        var amount = Validation.DepositAmount(msg.Deposit, ChainErrors.InvalidEscrowDeposit);
        if (msg.Id is null || !ctx.State.EscrowAccounts.TryGetValue(EscrowAccountRecord.AccountKey(msg.Id.Scope, msg.Id.Xid), out var account))
        {
            throw ChainErrors.AccountNotFound.Fail();
        }

        if (account.State == EscrowState.Closed)
        {
            throw ChainErrors.AccountClosed.Fail();
        }

        // UNCONFIRMED on chain: whether BME converts a uakt top-up into uact; the simulator only accepts the account's denom.
        if (msg.Deposit.Amount.Denom != account.Denom)
        {
            throw ChainErrors.InvalidDenomination.Fail($"deposit denom {msg.Deposit.Amount.Denom} != account denom {account.Denom}");
        }

        EscrowKeeper.AddDeposit(ctx.State, account, msg.Signer, amount, msg.Deposit.Sources[0]);
        if (account.State == EscrowState.Overdrawn)
        {
            EscrowKeeper.SettleOverdrawnAfterDeposit(ctx.State, account);
        }
    }
}
