using System.Numerics;
using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.CertV1;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Akash.Protos.ProviderV1Beta4;
using Flock.Sandbox.AkashChain.Tx;

namespace Flock.Sandbox.AkashChain.State;

/// <summary>
/// The whole application state. A transaction runs its messages on a <see cref="Clone"/> and the clone replaces the
/// state only if every message succeeded — the same all-or-nothing a Cosmos cache context gives.
/// </summary>
public sealed class ChainState
{
    public long Height { get; set; }
    public ulong NextAccountNumber { get; set; }
    public SortedDictionary<string, AccountRecord> Accounts { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, SortedDictionary<string, BigInteger>> Balances { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<DeploymentKey, Deployment> Deployments { get; init; } = [];
    public Dictionary<GroupKey, Group> Groups { get; init; } = [];
    public Dictionary<OrderKey, Order> Orders { get; init; } = [];
    public Dictionary<BidKey, Bid> Bids { get; init; } = [];
    public Dictionary<BidKey, Lease> Leases { get; init; } = [];
    public Dictionary<string, EscrowAccountRecord> EscrowAccounts { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, EscrowPaymentRecord> Payments { get; init; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Provider> Providers { get; init; } = new(StringComparer.Ordinal);
    public List<AuditedProvider> Audits { get; init; } = [];
    public Dictionary<(string Owner, string Serial), Certificate> Certificates { get; init; } = [];
    public Dictionary<string, LedgerRecord> Ledger { get; init; } = new(StringComparer.Ordinal);

    public ChainState Clone() => new()
    {
        Height = Height,
        NextAccountNumber = NextAccountNumber,
        Accounts = new(Accounts.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()), StringComparer.Ordinal),
        Balances = new(Balances.ToDictionary(kv => kv.Key, kv => new SortedDictionary<string, BigInteger>(kv.Value, StringComparer.Ordinal)), StringComparer.Ordinal),
        Deployments = Deployments.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        Groups = Groups.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        Orders = Orders.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        Bids = Bids.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        Leases = Leases.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        EscrowAccounts = EscrowAccounts.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
        Payments = Payments.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
        Providers = new(Providers.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()), StringComparer.Ordinal),
        Audits = Audits.Select(a => a.Clone()).ToList(),
        Certificates = Certificates.ToDictionary(kv => kv.Key, kv => kv.Value.Clone()),
        Ledger = Ledger.ToDictionary(kv => kv.Key, kv => kv.Value.Clone(), StringComparer.Ordinal),
    };

    /// <summary>The account, created with the next account number if it does not exist (as the bank does on first receipt).</summary>
    public AccountRecord EnsureAccount(string address)
    {
        if (!Accounts.TryGetValue(address, out var account))
        {
            account = new AccountRecord { Address = address, Number = NextAccountNumber++ };
            Accounts[address] = account;
        }

        return account;
    }

    public BigInteger Balance(string address, string denom) =>
        Balances.TryGetValue(address, out var coins) && coins.TryGetValue(denom, out var amount) ? amount : BigInteger.Zero;

    public void Credit(string address, string denom, BigInteger amount)
    {
        if (amount.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount));
        }

        if (amount.IsZero)
        {
            return;
        }

        EnsureAccount(address);
        if (!Balances.TryGetValue(address, out var coins))
        {
            coins = new SortedDictionary<string, BigInteger>(StringComparer.Ordinal);
            Balances[address] = coins;
        }

        coins[denom] = Balance(address, denom) + amount;
    }

    /// <summary>Takes coins from an account; fails with the bank's "spendable balance X is smaller than Y: insufficient funds".</summary>
    public void Debit(string address, string denom, BigInteger amount)
    {
        var have = Balance(address, denom);
        if (have < amount)
        {
            throw ChainErrors.InsufficientFunds.Fail($"spendable balance {Dec.Coin(have, denom)} is smaller than {Dec.Coin(amount, denom)}");
        }

        if (amount.IsZero)
        {
            return;
        }

        Balances[address][denom] = have - amount;
    }

    public LedgerRecord LedgerOf(string owner)
    {
        if (!Ledger.TryGetValue(owner, out var record))
        {
            record = new LedgerRecord();
            Ledger[owner] = record;
        }

        return record;
    }
}
