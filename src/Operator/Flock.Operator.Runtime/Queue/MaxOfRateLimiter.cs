namespace Flock.Operator.Runtime.Queue;

/// <summary>The longest delay of several limiters (client-go's MaxOfRateLimiter).</summary>
public sealed class MaxOfRateLimiter<TKey>(params IRateLimiter<TKey>[] limiters) : IRateLimiter<TKey>
    where TKey : notnull
{
    public TimeSpan When(TKey key) => limiters.Select(l => l.When(key)).Max();

    public int NumRequeues(TKey key) => limiters.Max(l => l.NumRequeues(key));

    public void Forget(TKey key)
    {
        foreach (var limiter in limiters) limiter.Forget(key);
    }

    /// <summary>controller-runtime's default: 5 ms…1000 s per key, and 10 qps with a burst of 100 overall.</summary>
    public static MaxOfRateLimiter<TKey> ControllerDefault(TimeProvider time) => new(
        new ExponentialFailureRateLimiter<TKey>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000)),
        new TokenBucketRateLimiter<TKey>(10, 100, time));
}
