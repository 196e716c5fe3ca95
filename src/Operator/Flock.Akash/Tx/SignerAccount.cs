namespace Flock.Akash.Tx;

/// <summary>
/// What the chain knows of the signing account (from auth Query/Account): the account number binds the
/// signature to this account, the sequence to this position in its history (replay protection).
/// </summary>
/// <param name="ChainId">Chain id, e.g. akashnet-2.</param>
/// <param name="AccountNumber">The account number the chain assigned when the account was first funded.</param>
/// <param name="Sequence">Number of transactions the account has had accepted; 0 for a new account.</param>
public sealed record SignerAccount(string ChainId, ulong AccountNumber, ulong Sequence);
