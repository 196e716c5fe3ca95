using System.Collections.Concurrent;
using CsCheck;
using Flock.Operator.Runtime.Queue;
using Microsoft.Extensions.Time.Testing;

namespace Flock.Operator.Tests.Runtime;

/// <summary>The queue's contract, checked over generated add sequences and concurrent workers.</summary>
public sealed class WorkQueuePropertyTests
{
    private static WorkQueue<int> NewQueue(TimeProvider? time = null) =>
        new(MaxOfRateLimiter<int>.ControllerDefault(time ?? TimeProvider.System), time ?? TimeProvider.System);

    [Fact]
    public void Keys_added_many_times_before_processing_are_handed_out_once_each()
    {
        Gen.Int[0, 9].Array[0, 60].Sample(keys =>
        {
            using var queue = NewQueue();
            foreach (var key in keys) queue.Add(key);

            var handedOut = new List<int>();
            while (queue.Length > 0) handedOut.Add(queue.GetAsync(CancellationToken.None).AsTask().Result.Key);

            Assert.Equal(keys.Distinct().Order(), handedOut.Order());
        }, iter: 200);
    }

    [Fact]
    public void Concurrent_workers_never_hold_one_key_twice_and_lose_no_add()
    {
        Gen.Select(Gen.Int[0, 5].Array[1, 150], Gen.Int[1, 4]).Sample((keys, workers) =>
        {
            using var queue = NewQueue();
            var holders = new ConcurrentDictionary<int, int>();
            var addsSoFar = new ConcurrentDictionary<int, int>();
            var seenAtStart = new ConcurrentDictionary<int, int>();
            var overlaps = 0;

            var workerTasks = Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    var (ok, key) = await queue.GetAsync(CancellationToken.None);
                    if (!ok) return;
                    if (!holders.TryAdd(key, 1)) Interlocked.Increment(ref overlaps);
                    // Everything added before this point must be covered by this processing.
                    seenAtStart[key] = addsSoFar.GetValueOrDefault(key);
                    await Task.Yield();
                    holders.TryRemove(key, out var _);
                    queue.Done(key);
                }
            })).ToArray();

            foreach (var key in keys)
            {
                addsSoFar.AddOrUpdate(key, 1, (_, n) => n + 1);
                queue.Add(key);
            }

            queue.ShutDown();
            Task.WaitAll(workerTasks);

            Assert.Equal(0, overlaps);
            foreach (var key in keys.Distinct()) Assert.Equal(addsSoFar[key], seenAtStart.GetValueOrDefault(key));
        }, iter: 100);
    }

    [Fact]
    public async Task A_key_added_while_processing_is_handed_out_again_only_after_done()
    {
        using var queue = NewQueue();
        queue.Add(7);
        var first = await queue.GetAsync(CancellationToken.None);

        queue.Add(7);

        Assert.Equal(0, queue.Length);
        queue.Done(first.Key);
        Assert.Equal(1, queue.Length);
        Assert.Equal(7, (await queue.GetAsync(CancellationToken.None)).Key);
    }

    [Fact]
    public void Per_key_backoff_doubles_from_5ms_to_the_1000s_cap_and_forget_resets_it()
    {
        Gen.Int[1, 40].Sample(failures =>
        {
            var limiter = new ExponentialFailureRateLimiter<string>(TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(1000));
            var delays = Enumerable.Range(0, failures).Select(_ => limiter.When("key")).ToList();

            for (var i = 0; i < delays.Count; i++)
            {
                var expected = Math.Min(5 * Math.Pow(2, i), 1_000_000);
                Assert.Equal(expected, delays[i].TotalMilliseconds, precision: 6);
            }

            Assert.Equal(failures, limiter.NumRequeues("key"));
            limiter.Forget("key");
            Assert.Equal(TimeSpan.FromMilliseconds(5), limiter.When("key"));
        });
    }

    [Fact]
    public void Overall_bucket_allows_a_burst_of_100_then_10_per_second()
    {
        var time = new FakeTimeProvider();
        var limiter = new TokenBucketRateLimiter<int>(10, 100, time);

        var burst = Enumerable.Range(0, 100).Select(limiter.When).ToList();
        var next = limiter.When(100);
        time.Advance(TimeSpan.FromSeconds(10));
        var afterRefill = limiter.When(101);

        Assert.All(burst, d => Assert.Equal(TimeSpan.Zero, d));
        Assert.Equal(TimeSpan.FromMilliseconds(100), next);
        Assert.Equal(TimeSpan.Zero, afterRefill);
    }

    [Fact]
    public async Task Add_after_waits_for_its_time_and_the_earlier_of_two_schedules_wins()
    {
        var time = new FakeTimeProvider();
        using var queue = NewQueue(time);

        queue.AddAfter(1, TimeSpan.FromSeconds(30));
        queue.AddAfter(1, TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(4));
        var beforeDue = queue.Length;
        time.Advance(TimeSpan.FromSeconds(1));
        var atDue = queue.Length;
        var (_, key) = await queue.GetAsync(CancellationToken.None);
        queue.Done(key);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(0, beforeDue);
        Assert.Equal(1, atDue);
        Assert.Equal(0, queue.Length); // the later schedule was superseded, not kept
    }

    [Fact]
    public async Task Shutdown_with_drain_waits_for_the_key_in_flight()
    {
        using var queue = NewQueue();
        queue.Add(1);
        var (_, key) = await queue.GetAsync(CancellationToken.None);

        var drain = queue.ShutDownWithDrainAsync(CancellationToken.None);
        var doneBeforeRelease = drain.IsCompleted;
        queue.Done(key);
        await drain;

        Assert.False(doneBeforeRelease);
        Assert.False((await queue.GetAsync(CancellationToken.None)).Ok);
    }
}
