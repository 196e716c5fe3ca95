namespace Flock.Sandbox.AkashChain;

/// <summary>Where in BroadcastTx a hook runs.</summary>
public enum BroadcastPoint
{
    /// <summary>The request arrived; CheckTx has not run, nothing is in the mempool.</summary>
    BeforeCheckTx,

    /// <summary>CheckTx accepted the transaction into the mempool; the response has not been sent.</summary>
    AfterCheckTx,
}

public sealed partial class ChainFaults
{
    /// <summary>
    /// Runs inside BroadcastTx with the transaction's message type URLs, so a crash test can kill the client at an exact
    /// point (before the chain has the transaction, or after it has it but before the client hears so). Returning false
    /// at <see cref="BroadcastPoint.BeforeCheckTx"/> drops the request (Unavailable) without CheckTx.
    /// </summary>
    public Func<BroadcastPoint, IReadOnlyList<string>, Task<bool>>? BroadcastHook { get; set; }
}

/// <summary>One broadcast at one hook point: the messages' type URLs and the accounts that signed them.</summary>
public sealed record BroadcastAttempt(BroadcastPoint Point, IReadOnlyList<string> MessageTypes, IReadOnlyList<string> Signers);

public sealed partial class ChainFaults
{
    /// <summary>
    /// Like <see cref="BroadcastHook"/> with the signers too, so tests that run side by side on one chain (each with its
    /// own account) only act on their own transactions. Runs after <see cref="BroadcastHook"/>; false at
    /// <see cref="BroadcastPoint.BeforeCheckTx"/> drops the request the same way.
    /// </summary>
    public Func<BroadcastAttempt, Task<bool>>? SignedBroadcastHook { get; set; }
}
