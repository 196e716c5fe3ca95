namespace Flock.Operator.Runtime.Queue;

/// <summary>Decides how long a key waits before it is processed again (client-go's RateLimiter).</summary>
public interface IRateLimiter<in TKey>
{
    /// <summary>The delay before the key may be retried; each call counts as one more failure.</summary>
    TimeSpan When(TKey key);

    /// <summary>Failures counted for the key since its last <see cref="Forget"/>.</summary>
    int NumRequeues(TKey key);

    /// <summary>Clears the key's failure count (after a successful reconcile).</summary>
    void Forget(TKey key);
}
