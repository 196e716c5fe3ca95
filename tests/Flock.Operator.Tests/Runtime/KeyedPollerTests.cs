using System.Collections.Concurrent;
using Flock.Operator.Runtime.Polling;

namespace Flock.Operator.Tests.Runtime;

public sealed class KeyedPollerTests
{
    /// <summary>A key's reading: how many times it was read, or the error of the last read.</summary>
    private sealed record Reading(int Reads, string? Error = null);

    /// <summary>Reads count up per key; keys in <see cref="Failing"/> fail, and the backoff each failure earned is recorded.</summary>
    private sealed class CountingTarget : IPollTarget<string, Reading>
    {
        public ConcurrentDictionary<string, int> Reads { get; } = new();

        public ConcurrentQueue<TimeSpan> FailedBackoffs { get; } = new();

        public ConcurrentDictionary<string, bool> Failing { get; } = new();

        public Reading Unread(string key) => new(0);

        public Task<PollResult<Reading>> PollAsync(PollAttempt<string, Reading> attempt, CancellationToken ct)
        {
            var reads = Reads.AddOrUpdate(attempt.Key, 1, (_, n) => n + 1);
            if (!Failing.ContainsKey(attempt.Key)) return Task.FromResult(PollResult<Reading>.Success(new Reading(reads)));
            FailedBackoffs.Enqueue(attempt.BackoffIfFailed);
            return Task.FromResult(PollResult<Reading>.Failure(attempt.Before with { Error = "down" }, attempt.BackoffIfFailed));
        }

        public bool Differs(Reading before, Reading after) => before != after;
    }

    private static async Task<(Task Run, CancellationTokenSource Stop)> StartAsync(KeyedPoller<string, Reading> poller)
    {
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => poller.RunAsync(stop.Token));
        await Task.Yield();
        return (run, stop);
    }

    [Fact]
    public async Task A_key_is_read_once_per_interval_however_often_it_is_watched_and_changes_are_announced()
    {
        var target = new CountingTarget();
        var poller = new KeyedPoller<string, Reading>(target, new KeyedPollerOptions { PollInterval = TimeSpan.FromHours(1) }, TimeProvider.System);
        var changed = new ConcurrentQueue<string>();
        poller.Changed += changed.Enqueue;
        var (run, stop) = await StartAsync(poller);

        for (var i = 0; i < 100; i++) poller.Watch("a");
        await Eventually.TrueAsync(() => poller.Watch("a").Reads == 1, "the first read of a");
        await Task.Delay(200);
        await stop.CancelAsync();
        await run;

        Assert.Equal(1, target.Reads["a"]);
        Assert.Equal(["a"], changed);
    }

    [Fact]
    public async Task Failures_back_off_doubling_up_to_the_interval_and_keep_what_was_known()
    {
        var target = new CountingTarget();
        var poller = new KeyedPoller<string, Reading>(target,
            new KeyedPollerOptions { PollInterval = TimeSpan.FromMilliseconds(80), ErrorBackoff = TimeSpan.FromMilliseconds(10) }, TimeProvider.System);
        var (run, stop) = await StartAsync(poller);
        poller.Watch("k");
        // At least once: at an 80 ms interval a loaded machine may read it again before the first look.
        await Eventually.TrueAsync(() => poller.Watch("k").Reads >= 1, "the first read");

        target.Failing["k"] = true;
        await Eventually.TrueAsync(() => target.FailedBackoffs.Count >= 6, "six failed reads");
        await stop.CancelAsync();
        await run;

        Assert.Equal([10, 20, 40, 80, 80, 80], target.FailedBackoffs.Take(6).Select(b => b.TotalMilliseconds));
        // What was known before the failures stays, with the error.
        Assert.Equal("down", poller.Watch("k").Error);
        Assert.True(poller.Watch("k").Reads >= 1);
    }

    [Fact]
    public async Task Keys_no_source_names_are_dropped_and_poll_soon_reads_a_key_before_its_interval()
    {
        var target = new CountingTarget();
        var poller = new KeyedPoller<string, Reading>(target, new KeyedPollerOptions { PollInterval = TimeSpan.FromHours(1) }, TimeProvider.System);
        string[] inUse = ["a", "b"];
        poller.TrackFrom(() => Volatile.Read(ref inUse));
        var (run, stop) = await StartAsync(poller);
        await Eventually.TrueAsync(() => target.Reads.GetValueOrDefault("a") == 1 && target.Reads.GetValueOrDefault("b") == 1, "a and b read from the source");

        Volatile.Write(ref inUse, ["a"]);
        poller.PollSoon(key => key == "a");
        await Eventually.TrueAsync(() => target.Reads["a"] == 2, "a read again on the signal");
        var readsOfB = target.Reads["b"];
        await stop.CancelAsync();
        await run;

        // b was dropped: watching it now starts from nothing.
        Assert.Equal(1, readsOfB);
        Assert.Equal(new Reading(0), poller.Watch("b"));
    }

    [Fact]
    public async Task Changes_are_published_to_a_source_that_controllers_watch()
    {
        var target = new CountingTarget();
        var poller = new KeyedPoller<string, Reading>(target, new KeyedPollerOptions { PollInterval = TimeSpan.FromHours(1) }, TimeProvider.System);
        var seen = new ConcurrentQueue<string>();
        using var unsubscribe = new CancellationTokenSource();
        var subscription = poller.Changes.RunAsync(seen.Enqueue, unsubscribe.Token);
        var (run, stop) = await StartAsync(poller);

        poller.Watch("x");
        poller.Watch("y");
        await Eventually.TrueAsync(() => seen.Count == 2, "both first reads announced");
        await stop.CancelAsync();
        await run;
        await unsubscribe.CancelAsync();
        await subscription;

        Assert.Equal(["x", "y"], seen.Order());
    }

    /// <summary>The first read waits at a gate; later reads go straight through.</summary>
    private sealed class GatedTarget : IPollTarget<string, Reading>
    {
        private int _reads;

        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Reads => Volatile.Read(ref _reads);

        public Reading Unread(string key) => new(0);

        public async Task<PollResult<Reading>> PollAsync(PollAttempt<string, Reading> attempt, CancellationToken ct)
        {
            var reads = Interlocked.Increment(ref _reads);
            if (reads == 1)
            {
                Entered.SetResult();
                await Gate.Task.WaitAsync(ct);
            }

            return PollResult<Reading>.Success(new Reading(reads));
        }

        public bool Differs(Reading before, Reading after) => before != after;
    }

    [Fact]
    public async Task A_signal_that_comes_during_a_read_gets_a_read_of_its_own()
    {
        var target = new GatedTarget();
        var poller = new KeyedPoller<string, Reading>(target, new KeyedPollerOptions { PollInterval = TimeSpan.FromHours(1) }, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => poller.RunAsync(stop.Token));
        poller.Watch("k");
        await target.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // The read under way may have seen the state before the signal's change.
        poller.PollSoon(_ => true);
        target.Gate.SetResult();
        await Eventually.TrueAsync(() => target.Reads == 2, "a second read right after the first");
        await stop.CancelAsync();
        await run;

        Assert.Equal(new Reading(2), poller.Watch("k"));
    }
}
