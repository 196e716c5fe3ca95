namespace Flock.Akash.Client;

/// <summary>
/// One signer per account at a time: an async lock per address. Two reconciles signing with the same key would
/// both read sequence N, and the chain accepts only one of them; holding the lane from reading the sequence until
/// the transaction is settled makes their submissions consecutive (N, N+1). Different addresses never wait for
/// each other. Share one instance (a DI singleton) between everything that signs; it holds no static state.
/// </summary>
public sealed class SigningLanes
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);

    /// <summary>Addresses with a submission running or waiting (for diagnostics and tests).</summary>
    public int ActiveLanes
    {
        get
        {
            lock (_gate)
            {
                return _lanes.Count;
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> once no other work for <paramref name="address"/> is running; waiting honours cancellation.</summary>
    public async Task<T> RunAsync<T>(string address, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentNullException.ThrowIfNull(work);
        Lane lane;
        lock (_gate)
        {
            if (!_lanes.TryGetValue(address, out lane!))
            {
                lane = new Lane();
                _lanes[address] = lane;
            }

            lane.Users++;
        }

        try
        {
            await lane.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await work(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lane.Semaphore.Release();
            }
        }
        finally
        {
            // Lanes of accounts nobody is using are dropped, so a long-running operator does not keep one per address it ever saw.
            lock (_gate)
            {
                if (--lane.Users == 0)
                {
                    _lanes.Remove(address);
                    lane.Semaphore.Dispose();
                }
            }
        }
    }

    private sealed class Lane
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);

        public int Users { get; set; }
    }
}
