namespace Flock.Operator.Runtime.Queue;

/// <summary>
/// client-go's rate-limited delaying work queue, async. A key is in at most one of three places:
/// queued (waiting for a worker), processing (a worker holds it), or both processing and dirty
/// (re-added while held; queued again at <see cref="Done"/>). So a key is never held by two workers,
/// is queued at most once however often it is added, and an add is never lost.
/// </summary>
public sealed class WorkQueue<TKey> : IDisposable where TKey : notnull
{
    private readonly Lock _lock = new();
    private readonly Queue<TKey> _queue = new();
    private readonly HashSet<TKey> _dirty = new();
    private readonly HashSet<TKey> _processing = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly DelayedKeys<TKey> _delayed;
    private readonly IRateLimiter<TKey> _limiter;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IWorkQueueObserver<TKey> _observer;
    private bool _shuttingDown;

    public WorkQueue(IRateLimiter<TKey> limiter, TimeProvider time, IWorkQueueObserver<TKey>? observer = null)
    {
        _limiter = limiter;
        _observer = observer ?? NoWorkQueueObserver<TKey>.Instance;
        _delayed = new DelayedKeys<TKey>(time, Add);
    }

    /// <summary>Keys waiting for a worker (not counting delayed or processing ones).</summary>
    public int Length
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public bool ShuttingDown
    {
        get
        {
            lock (_lock)
            {
                return _shuttingDown;
            }
        }
    }

    /// <summary>Marks the key as needing work. A no-op when it is already waiting.</summary>
    public void Add(TKey key)
    {
        lock (_lock)
        {
            if (_shuttingDown || !_dirty.Add(key)) return;
            _observer.Added(key);
            if (_processing.Contains(key)) return;
            _queue.Enqueue(key);
        }

        _ready.Release();
    }

    /// <summary>Adds the key once the delay has passed; an earlier pending time for the key wins.</summary>
    public void AddAfter(TKey key, TimeSpan delay)
    {
        if (ShuttingDown) return;
        if (delay <= TimeSpan.Zero) Add(key);
        else _delayed.Schedule(key, delay);
    }

    /// <summary>Adds the key after the rate limiter's delay (the retry path after an error).</summary>
    public void AddRateLimited(TKey key)
    {
        _observer.Retried(key);
        AddAfter(key, _limiter.When(key));
    }

    /// <summary>Clears the key's failure history; call after the key was processed successfully.</summary>
    public void Forget(TKey key) => _limiter.Forget(key);

    public int NumRequeues(TKey key) => _limiter.NumRequeues(key);

    /// <summary>
    /// Waits for a key and marks it processing; the caller must call <see cref="Done"/> with it.
    /// Returns false once the queue is shutting down and empty.
    /// </summary>
    public async ValueTask<(bool Ok, TKey Key)> GetAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                if (_queue.TryDequeue(out var key))
                {
                    _dirty.Remove(key);
                    _processing.Add(key);
                    _observer.Started(key);
                    return (true, key);
                }

                if (_shuttingDown)
                {
                    _ready.Release(); // wake the next waiter so every worker sees the shutdown
                    return (false, default!);
                }
            }
        }
    }

    /// <summary>Ends processing of a key; if it was added meanwhile it is queued again now.</summary>
    public void Done(TKey key)
    {
        var requeued = false;
        lock (_lock)
        {
            _processing.Remove(key);
            _observer.Finished(key);
            if (_dirty.Contains(key))
            {
                _queue.Enqueue(key);
                requeued = true;
            }

            if (_shuttingDown && _processing.Count == 0) _drained.TrySetResult();
        }

        if (requeued) _ready.Release();
    }

    /// <summary>Stops accepting keys and wakes every waiting worker; queued keys are still handed out.</summary>
    public void ShutDown()
    {
        lock (_lock)
        {
            if (_shuttingDown) return;
            _shuttingDown = true;
            if (_processing.Count == 0) _drained.TrySetResult();
        }

        _delayed.Dispose();
        _ready.Release();
    }

    /// <summary>Shuts down and waits until no key is being processed (graceful shutdown).</summary>
    public Task ShutDownWithDrainAsync(CancellationToken cancellationToken)
    {
        ShutDown();
        return _drained.Task.WaitAsync(cancellationToken);
    }

    public void Dispose()
    {
        ShutDown();
        _ready.Dispose();
    }
}
