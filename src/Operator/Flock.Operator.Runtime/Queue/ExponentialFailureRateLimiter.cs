namespace Flock.Operator.Runtime.Queue;

/// <summary>
/// Per-key exponential backoff: base × 2^failures, capped (client-go's ItemExponentialFailureRateLimiter;
/// controller-runtime uses 5 ms and 1000 s, reaching the cap around the 18th consecutive failure).
/// </summary>
public sealed class ExponentialFailureRateLimiter<TKey>(TimeSpan baseDelay, TimeSpan maxDelay) : IRateLimiter<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, int> _failures = new();
    private readonly Lock _lock = new();

    public TimeSpan When(TKey key)
    {
        int exponent;
        lock (_lock)
        {
            _failures.TryGetValue(key, out exponent);
            _failures[key] = exponent + 1;
        }

        // Compare in doubles first: 2^exponent overflows a TimeSpan long before the cap matters.
        var delayTicks = baseDelay.Ticks * Math.Pow(2, exponent);
        return delayTicks >= maxDelay.Ticks ? maxDelay : TimeSpan.FromTicks((long)delayTicks);
    }

    public int NumRequeues(TKey key)
    {
        lock (_lock)
        {
            return _failures.GetValueOrDefault(key);
        }
    }

    public void Forget(TKey key)
    {
        lock (_lock)
        {
            _failures.Remove(key);
        }
    }
}
