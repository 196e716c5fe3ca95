namespace Flock.Akash.Client;

/// <summary>An account as auth Query/Account reports it.</summary>
/// <param name="Address">Bech32 address.</param>
/// <param name="AccountNumber">Assigned when the account was first funded; part of every SignDoc.</param>
/// <param name="Sequence">Transactions committed so far; the next transaction must carry exactly this.</param>
/// <param name="HasPublicKey">False until the account's first transaction; provider JWT auth needs the key on chain.</param>
public sealed record ChainAccount(string Address, ulong AccountNumber, ulong Sequence, bool HasPublicKey);
