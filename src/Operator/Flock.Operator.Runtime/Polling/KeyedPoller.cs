using System.Collections.Concurrent;
using Flock.Operator.Runtime.Sources;

namespace Flock.Operator.Runtime.Polling;

/// <summary>
/// Polls outside state once per key per interval for the whole process, however many objects name the key: a
/// reconcile reads the snapshot (<see cref="Watch"/>), never the outside system. Keys come from <see cref="Watch"/>
/// (a new key is polled at once) and from the sources of keys in use (<see cref="TrackFrom"/>); a key no source names
/// any more is dropped. After a failure a key is retried with a backoff that doubles up to the interval; an outside
/// signal can bring keys forward (<see cref="PollSoon"/>). A snapshot that changed, as the target judges it, is
/// announced on <see cref="Changes"/> and <see cref="Changed"/>.
/// </summary>
public sealed class KeyedPoller<TKey, TSnapshot>(IPollTarget<TKey, TSnapshot> target, KeyedPollerOptions options, TimeProvider time)
    where TKey : notnull
    where TSnapshot : class
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Func<IEnumerable<TKey>>> _sources = [];
    private readonly ChannelSource<TKey> _changes = new();

    /// <summary>Raised on the poll loop with a key whose snapshot changed.</summary>
    public event Action<TKey>? Changed;

    /// <summary>The keys whose snapshot changed, as a source controllers watch.</summary>
    public IEventSource<TKey> Changes => _changes;

    /// <summary>Adds a source of the keys in use; a key stays polled while some source names it, and is dropped once none does.</summary>
    public void TrackFrom(Func<IEnumerable<TKey>> keysInUse)
    {
        lock (_sources)
        {
            _sources.Add(keysInUse);
        }
    }

    /// <summary>The latest snapshot of a key; a key not tracked yet is polled at once.</summary>
    public TSnapshot Watch(TKey key)
    {
        var created = false;
        var entry = _entries.GetOrAdd(key, k =>
        {
            created = true;
            return new Entry(k, target.Unread(k)) { Due = time.GetUtcNow() };
        });
        // Woken only once the entry is in: a loop woken from inside the factory could look, find nothing and sleep
        // a whole interval. (A factory that lost a race wakes it once more for nothing, which is harmless.)
        if (created) _wake.Release();
        return entry.Snapshot;
    }

    /// <summary>Makes the tracked keys <paramref name="which"/> selects due now (something outside said they changed).</summary>
    public void PollSoon(Func<TKey, bool> which)
    {
        foreach (var entry in _entries.Values.Where(e => which(e.Key)))
        {
            entry.Signal();
            entry.Due = time.GetUtcNow();
        }

        _wake.Release();
    }

    /// <summary>Polls due keys until <paramref name="stop"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var inUse = KeysInUse();
            foreach (var key in inUse ?? []) Watch(key);
            var now = time.GetUtcNow();
            foreach (var entry in _entries.Values)
            {
                if (inUse is not null && !inUse.Contains(entry.Key))
                {
                    _entries.TryRemove(entry.Key, out _);
                    continue;
                }

                if (entry.Due <= now) await PollAsync(entry, stop).ConfigureAwait(false);
            }

            var next = _entries.Values.Select(e => e.Due).DefaultIfEmpty(now + options.PollInterval).Min();
            var wait = next - time.GetUtcNow();
            try
            {
                // Never longer than the interval: a key that a source names for the first time waits at most that long.
                await _wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait < options.PollInterval ? wait : options.PollInterval, stop)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(Entry entry, CancellationToken stop)
    {
        var before = entry.Snapshot;
        var signals = entry.Signals;
        var backoff = entry.Backoff == TimeSpan.Zero
            ? options.ErrorBackoff
            : TimeSpan.FromTicks(Math.Min(entry.Backoff.Ticks * 2, options.PollInterval.Ticks));
        var result = await target.PollAsync(new PollAttempt<TKey, TSnapshot>(entry.Key, before, backoff), stop).ConfigureAwait(false);
        entry.Snapshot = result.Snapshot;
        entry.Backoff = result.IsFailure ? backoff : TimeSpan.Zero;
        // A signal that came while the read was under way may be news the read did not see: read again at once
        // rather than let this read's schedule overwrite the signal's.
        entry.Due = time.GetUtcNow() + (entry.Signals != signals ? TimeSpan.Zero : result.RetryIn ?? Jittered(options.PollInterval));
        if (target.Differs(before, result.Snapshot))
        {
            _changes.Publish(entry.Key);
            Changed?.Invoke(entry.Key);
        }
    }

    // Null when no source is registered: then every key ever asked about stays tracked.
    private HashSet<TKey>? KeysInUse()
    {
        lock (_sources)
        {
            return _sources.Count == 0 ? null : _sources.SelectMany(s => s()).ToHashSet();
        }
    }

    private TimeSpan Jittered(TimeSpan interval) =>
        options.Jitter == 0 ? interval : interval * (1 + options.Jitter * (2 * Random.Shared.NextDouble() - 1));

    private sealed class Entry(TKey key, TSnapshot snapshot)
    {
        private long _dueTicks;
        private long _signals;
        private TSnapshot _snapshot = snapshot;

        public TKey Key { get; } = key;

        // Read by reconciles on their own threads while the loop replaces it.
        public TSnapshot Snapshot
        {
            get => Volatile.Read(ref _snapshot);
            set => Volatile.Write(ref _snapshot, value);
        }

        // Set from outside signals (PollSoon) as well as the loop: kept as one atomic long.
        public DateTimeOffset Due
        {
            get => new(Interlocked.Read(ref _dueTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _dueTicks, value.UtcTicks);
        }

        // Only the loop touches it.
        public TimeSpan Backoff { get; set; }

        /// <summary>How many times <see cref="PollSoon"/> picked this key.</summary>
        public long Signals => Interlocked.Read(ref _signals);

        public void Signal() => Interlocked.Increment(ref _signals);
    }
}
