namespace Flock.Operator.Runtime.Queue;

/// <summary>
/// One token bucket shared by every key (client-go's BucketRateLimiter over golang.org/x/time/rate):
/// each When() reserves a token and returns how long until that token exists.
/// </summary>
public sealed class TokenBucketRateLimiter<TKey>(double tokensPerSecond, int burst, TimeProvider time) : IRateLimiter<TKey>
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    public TimeSpan When(TKey key)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * tokensPerSecond);
            _last = now;
            _tokens -= 1;
            // A negative balance is a reservation: the token arrives after -tokens / rate seconds.
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / tokensPerSecond);
        }
    }

    public int NumRequeues(TKey key) => 0;

    public void Forget(TKey key)
    {
    }
}
