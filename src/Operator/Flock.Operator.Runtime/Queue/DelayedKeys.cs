namespace Flock.Operator.Runtime.Queue;

/// <summary>
/// Keys waiting for their time (client-go's delaying queue): one timer for the earliest, and for a
/// key scheduled twice the earlier time wins, so requeues never pile up.
/// </summary>
internal sealed class DelayedKeys<TKey> : IDisposable where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<TKey, long> _byTime = new();
    private readonly Dictionary<TKey, long> _dueAt = new();
    private readonly TimeProvider _time;
    private readonly Action<TKey> _release;
    private readonly ITimer _timer;
    private bool _disposed;

    public DelayedKeys(TimeProvider time, Action<TKey> release)
    {
        _time = time;
        _release = release;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _dueAt.Count;
            }
        }
    }

    public void Schedule(TKey key, TimeSpan delay)
    {
        lock (_lock)
        {
            if (_disposed) return;
            var due = Now() + (long)delay.TotalMilliseconds;
            if (_dueAt.TryGetValue(key, out var existing) && existing <= due) return;
            _dueAt[key] = due;
            _byTime.Enqueue(key, due);
            Rearm();
        }
    }

    private void Fire()
    {
        var ready = new List<TKey>();
        lock (_lock)
        {
            if (_disposed) return;
            var now = Now();
            while (_byTime.TryPeek(out var key, out var due) && due <= now)
            {
                _byTime.Dequeue();
                // A stale entry: the key was rescheduled earlier and already released, or moved.
                if (_dueAt.TryGetValue(key, out var current) && current == due)
                {
                    _dueAt.Remove(key);
                    ready.Add(key);
                }
            }

            Rearm();
        }

        foreach (var key in ready) _release(key);
    }

    private void Rearm()
    {
        while (_byTime.TryPeek(out var key, out var due) && (!_dueAt.TryGetValue(key, out var current) || current != due))
        {
            _byTime.Dequeue();
        }

        var wait = _byTime.TryPeek(out _, out var next) ? Math.Max(0, next - Now()) : -1;
        _timer.Change(wait < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(wait), Timeout.InfiniteTimeSpan);
    }

    private long Now() => (long)_time.GetElapsedTime(0).TotalMilliseconds;

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _byTime.Clear();
            _dueAt.Clear();
        }

        _timer.Dispose();
    }
}
