using System.Collections.Concurrent;
using Flock.Akash.Tx;

namespace Flock.Akash.Client;

/// <summary>
/// The next sequence of each signing account, kept locally between transactions so a submission does not need
/// an account query first, and so it is right even before the previous transaction is committed (the node's
/// committed view lags its mempool). Only the holder of the account's signing lane reads or writes its entry.
/// </summary>
internal sealed class AccountSequences
{
    private readonly ConcurrentDictionary<string, SignerAccount> _next = new(StringComparer.Ordinal);

    public SignerAccount? Get(string address) => _next.TryGetValue(address, out var account) ? account : null;

    public void Set(string address, SignerAccount account) => _next[address] = account;

    /// <summary>After an accepted transaction: the next one carries sequence + 1.</summary>
    public void Advance(string address, SignerAccount used) => _next[address] = used with { Sequence = used.Sequence + 1 };

    /// <summary>The local view may be wrong (a failure of unknown effect): the next submission re-reads the chain.</summary>
    public void Forget(string address) => _next.TryRemove(address, out _);
}
