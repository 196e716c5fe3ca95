namespace Flock.Operator.Runtime.Polling;

/// <summary>What a <see cref="KeyedPoller{TKey, TSnapshot}"/> polls: how to read one key and when a reading is news.</summary>
public interface IPollTarget<TKey, TSnapshot>
{
    /// <summary>The snapshot of a key not read yet.</summary>
    TSnapshot Unread(TKey key);

    /// <summary>
    /// Reads one key. Failures the target understands come back as <see cref="PollResult{TSnapshot}.Failure"/>; an
    /// exception ends the poller's run, so only cancellation should escape.
    /// </summary>
    Task<PollResult<TSnapshot>> PollAsync(PollAttempt<TKey, TSnapshot> attempt, CancellationToken ct);

    /// <summary>Whether watchers are told about the change from <paramref name="before"/> to <paramref name="after"/>.</summary>
    bool Differs(TSnapshot before, TSnapshot after);
}
