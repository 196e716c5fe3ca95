namespace Flock.Operator.Runtime.Polling;

/// <summary>What one poll produced: the snapshot to keep and, when it failed, how long until the next try.</summary>
public readonly record struct PollResult<TSnapshot>(TSnapshot Snapshot, TimeSpan? RetryIn)
{
    public bool IsFailure => RetryIn is not null;

    /// <summary>The poll succeeded: the backoff resets and the key is polled again after the (jittered) interval.</summary>
    public static PollResult<TSnapshot> Success(TSnapshot snapshot) => new(snapshot, null);

    /// <summary>The poll failed: <paramref name="snapshot"/> usually keeps what was known, with the error.</summary>
    public static PollResult<TSnapshot> Failure(TSnapshot snapshot, TimeSpan retryIn) => new(snapshot, retryIn);
}
