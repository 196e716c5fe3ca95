using System.Numerics;
using Flock.Akash.Protos.BaseDepositV1;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;
using Scope = Flock.Akash.Protos.EscrowIdV1.Scope;

namespace Flock.Sandbox.AkashChain.State;

/// <summary>One deposit into an escrow account; Balance is what is left of it (scaled), refunded to Owner on close.</summary>
public sealed class DepositRecord
{
    public required string Owner { get; init; }
    public required long Height { get; init; }
    public required Source Source { get; init; }
    public required BigInteger Balance { get; set; }

    public DepositRecord Clone() => new() { Owner = Owner, Height = Height, Source = Source, Balance = Balance };
}

/// <summary>An escrow account (deployment or bid scope). Amounts are LegacyDec-scaled.</summary>
public sealed class EscrowAccountRecord
{
    public required Scope Scope { get; init; }
    public required string Xid { get; init; }
    public required string Owner { get; init; }
    public required string Denom { get; init; }
    public EscrowState State { get; set; } = EscrowState.Open;
    public BigInteger Funds { get; set; }
    public BigInteger Transferred { get; set; }
    public long SettledAt { get; set; }
    public List<DepositRecord> Deposits { get; init; } = [];

    public string Key => AccountKey(Scope, Xid);

    public static string AccountKey(Scope scope, string xid) => $"{(int)scope}:{xid}";

    public EscrowAccountRecord Clone() => new()
    {
        Scope = Scope, Xid = Xid, Owner = Owner, Denom = Denom, State = State, Funds = Funds, Transferred = Transferred,
        SettledAt = SettledAt, Deposits = Deposits.Select(d => d.Clone()).ToList(),
    };
}

/// <summary>An escrow payment (a lease's stream to its provider). Balance = accrued and not yet withdrawn (scaled).</summary>
public sealed class EscrowPaymentRecord
{
    public required string AccountKey { get; init; }
    public required BidKey Lease { get; init; }
    public required string Xid { get; init; }
    public required string Owner { get; init; }
    public required string Denom { get; init; }
    public required BigInteger Rate { get; init; }
    public EscrowState State { get; set; } = EscrowState.Open;
    public BigInteger Balance { get; set; }
    public BigInteger Withdrawn { get; set; }

    public string Key => $"{AccountKey}|{Xid}";

    public EscrowPaymentRecord Clone() => new()
    {
        AccountKey = AccountKey, Lease = Lease, Xid = Xid, Owner = Owner, Denom = Denom, Rate = Rate, State = State,
        Balance = Balance, Withdrawn = Withdrawn,
    };
}

/// <summary>Running totals per deployment owner for <see cref="BalanceSheet"/> (escrow amounts scaled, fees integer uakt).</summary>
public sealed class LedgerRecord
{
    public BigInteger Deposited { get; set; }
    public BigInteger PaidToProviders { get; set; }
    public BigInteger Refunded { get; set; }
    public BigInteger Fees { get; set; }

    public LedgerRecord Clone() => new() { Deposited = Deposited, PaidToProviders = PaidToProviders, Refunded = Refunded, Fees = Fees };
}
