using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.EscrowTypesV1;
using Flock.Sandbox.AkashChain.State;
using IdAccount = Flock.Akash.Protos.EscrowIdV1.Account;
using IdPayment = Flock.Akash.Protos.EscrowIdV1.Payment;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>Escrow records in their escrow.types.v1 wire form (LegacyDec amounts scaled by 10^18).</summary>
internal static class EscrowViews
{
    public static Account ToProto(EscrowAccountRecord a)
    {
        var state = new AccountState { Owner = a.Owner, State = a.State, SettledAt = a.SettledAt };
        state.Transferred.Add(new DecCoin { Denom = a.Denom, Amount = Dec.ToWire(a.Transferred) });
        state.Funds.Add(new Balance { Denom = a.Denom, Amount = Dec.ToWire(a.Funds) });
        state.Deposits.AddRange(a.Deposits.Select(d => new Depositor
        {
            Owner = d.Owner, Height = d.Height, Source = d.Source, Balance = new DecCoin { Denom = a.Denom, Amount = Dec.ToWire(d.Balance) },
        }));
        return new Account { Id = new IdAccount { Scope = a.Scope, Xid = a.Xid }, State = state };
    }

    public static Payment ToProto(ChainState s, EscrowPaymentRecord p)
    {
        var account = s.EscrowAccounts[p.AccountKey];
        return new Payment
        {
            Id = new IdPayment { Aid = new IdAccount { Scope = account.Scope, Xid = account.Xid }, Xid = p.Xid },
            State = new PaymentState
            {
                Owner = p.Owner,
                State = p.State,
                Rate = new DecCoin { Denom = p.Denom, Amount = Dec.ToWire(p.Rate) },
                Balance = new DecCoin { Denom = p.Denom, Amount = Dec.ToWire(p.Balance) },
                Unsettled = new DecCoin { Denom = p.Denom, Amount = "0" },
                Withdrawn = new Coin { Denom = p.Denom, Amount = p.Withdrawn.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            },
        };
    }

    public static string StateName(Flock.Akash.Protos.EscrowTypesV1.State state) => state.ToString().ToLowerInvariant();
}

/// <summary>Query filters name states in proto style ("insufficient_funds"); C# enum names drop the underscores.</summary>
internal static class StateFilter
{
    public static bool Matches(System.Enum value, string filter) =>
        filter.Length == 0 || value.ToString().Equals(filter.Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
}
