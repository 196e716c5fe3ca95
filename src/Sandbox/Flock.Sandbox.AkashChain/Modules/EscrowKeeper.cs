using System.Numerics;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Sandbox.AkashChain.State;
using Flock.Sandbox.AkashChain.Tx;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>
/// The escrow module: accounts funded from bank balances, payments streaming a per-block rate to providers,
/// settlement, and refunds. Settled every block (the real keeper settles lazily on deposit/withdraw/close; the
/// amounts are the same, only the moment an overdraft is noticed differs — see README).
/// </summary>
internal static class EscrowKeeper
{
    public static EscrowAccountRecord CreateAccount(ChainState state, Scope scope, string xid, string owner, string depositor, string denom, BigInteger amount, Source source)
    {
        var key = EscrowAccountRecord.AccountKey(scope, xid);
        if (state.EscrowAccounts.ContainsKey(key))
        {
            throw new TxError("escrow", 1, "account exists").Fail();
        }

        var account = new EscrowAccountRecord { Scope = scope, Xid = xid, Owner = owner, Denom = denom, SettledAt = state.Height };
        state.EscrowAccounts[key] = account;
        AddDeposit(state, account, depositor, amount, source);
        return account;
    }

    /// <summary>Moves <paramref name="amount"/> whole units from the depositor's balance into the account.</summary>
    public static void AddDeposit(ChainState state, EscrowAccountRecord account, string depositor, BigInteger amount, Source source)
    {
        if (account.State == EscrowState.Closed)
        {
            throw ChainErrors.AccountClosed.Fail();
        }

        state.Debit(depositor, account.Denom, amount);
        var scaled = Dec.FromInt(amount);
        account.Funds += scaled;
        account.Deposits.Add(new DepositRecord { Owner = depositor, Height = state.Height, Source = source, Balance = scaled });
        state.LedgerOf(account.Owner).Deposited += scaled;
    }

    public static EscrowPaymentRecord CreatePayment(ChainState state, EscrowAccountRecord account, BidKey lease, BigInteger rate)
    {
        if (account.State == EscrowState.Overdrawn)
        {
            throw ChainErrors.AccountOverdrawn.Fail();
        }

        if (account.State != EscrowState.Open)
        {
            throw ChainErrors.AccountClosed.Fail();
        }

        // Settle first so the new payment does not pay for blocks before it existed.
        Settle(state, account);
        var payment = new EscrowPaymentRecord
        {
            AccountKey = account.Key, Lease = lease, Xid = lease.PaymentXid, Owner = lease.Provider, Denom = account.Denom, Rate = rate,
        };
        if (state.Payments.ContainsKey(payment.Key))
        {
            throw new TxError("escrow", 6, "payment exists").Fail();
        }

        state.Payments[payment.Key] = payment;
        return payment;
    }

    public static IEnumerable<EscrowPaymentRecord> PaymentsOf(ChainState state, EscrowAccountRecord account) =>
        state.Payments.Values.Where(p => p.AccountKey == account.Key).OrderBy(p => p.Xid, StringComparer.Ordinal);

    /// <summary>
    /// Pays every open payment for the blocks since the last settlement. When the funds cannot cover a block, what is
    /// left is paid out, and the account and its payments become overdrawn (leases insufficient_funds, deployment closed).
    /// </summary>
    public static void Settle(ChainState state, EscrowAccountRecord account)
    {
        if (account.State != EscrowState.Open)
        {
            return;
        }

        var delta = state.Height - account.SettledAt;
        account.SettledAt = state.Height;
        var open = PaymentsOf(state, account).Where(p => p.State == EscrowState.Open).ToList();
        if (delta <= 0 || open.Count == 0)
        {
            return;
        }

        var perBlock = open.Aggregate(BigInteger.Zero, (sum, p) => sum + p.Rate);
        var fullBlocks = perBlock.IsZero ? delta : (long)BigInteger.Min(delta, BigInteger.Divide(account.Funds, perBlock));
        foreach (var payment in open)
        {
            Transfer(state, account, payment, payment.Rate * fullBlocks);
        }

        if (fullBlocks == delta)
        {
            return;
        }

        // Not enough for the next block: pay out the remainder in payment order, then overdraw.
        foreach (var payment in open)
        {
            Transfer(state, account, payment, BigInteger.Min(payment.Rate, account.Funds));
        }

        account.State = EscrowState.Overdrawn;
        foreach (var payment in open)
        {
            payment.State = EscrowState.Overdrawn;
            Withdraw(state, payment);
            Hooks.OnPaymentClosed(state, payment);
        }

        Hooks.OnAccountClosed(state, account);
    }

    /// <summary>Closes a payment (lease closed): settles the account, then pays the provider what it accrued.</summary>
    public static void ClosePayment(ChainState state, EscrowPaymentRecord payment)
    {
        var account = state.EscrowAccounts[payment.AccountKey];
        Settle(state, account);
        if (payment.State != EscrowState.Open)
        {
            return;
        }

        payment.State = EscrowState.Closed;
        Withdraw(state, payment);
    }

    /// <summary>Closes an account: settle, close and withdraw its payments, refund what is left to the depositors.</summary>
    public static void CloseAccount(ChainState state, EscrowAccountRecord account)
    {
        if (account.State == EscrowState.Closed)
        {
            throw ChainErrors.AccountClosed.Fail();
        }

        Settle(state, account);
        foreach (var payment in PaymentsOf(state, account).Where(p => p.State == EscrowState.Open))
        {
            payment.State = EscrowState.Closed;
            Withdraw(state, payment);
        }

        var wasOverdrawn = account.State == EscrowState.Overdrawn;
        Refund(state, account);
        if (!wasOverdrawn)
        {
            account.State = EscrowState.Closed;
            Hooks.OnAccountClosed(state, account);
        }
    }

    /// <summary>Pays the provider the whole units a payment accrued; the sub-unit remainder stays (as on chain).</summary>
    public static void Withdraw(ChainState state, EscrowPaymentRecord payment)
    {
        var units = Dec.Floor(payment.Balance);
        if (units.IsZero)
        {
            return;
        }

        payment.Balance -= Dec.FromInt(units);
        payment.Withdrawn += units;
        state.Credit(payment.Owner, payment.Denom, units);
    }

    /// <summary>Adds funds to an overdrawn account: the chain settles it and, if it is covered, closes it for good.</summary>
    public static void SettleOverdrawnAfterDeposit(ChainState state, EscrowAccountRecord account)
    {
        // The deployment was closed when the account overdrew; the new funds go back to the depositors.
        Refund(state, account);
        account.State = EscrowState.Closed;
    }

    private static void Refund(ChainState state, EscrowAccountRecord account)
    {
        foreach (var deposit in account.Deposits)
        {
            var units = Dec.Floor(deposit.Balance);
            if (units.IsZero)
            {
                continue;
            }

            var scaled = Dec.FromInt(units);
            deposit.Balance -= scaled;
            account.Funds -= scaled;
            state.Credit(deposit.Owner, account.Denom, units);
            state.LedgerOf(account.Owner).Refunded += scaled;
        }
    }

    private static void Transfer(ChainState state, EscrowAccountRecord account, EscrowPaymentRecord payment, BigInteger amount)
    {
        if (amount.IsZero)
        {
            return;
        }

        account.Funds -= amount;
        account.Transferred += amount;
        payment.Balance += amount;
        state.LedgerOf(account.Owner).PaidToProviders += amount;

        // Deposits are spent first-in first-out, so a refund goes to whoever's money is still unspent.
        var left = amount;
        foreach (var deposit in account.Deposits)
        {
            var take = BigInteger.Min(deposit.Balance, left);
            deposit.Balance -= take;
            left -= take;
            if (left.IsZero)
            {
                break;
            }
        }
    }
}
