using Flock.Akash.Client;

namespace Flock.AkashClient.Tests;

public sealed class SigningLanesTests
{
    [Fact]
    public async Task Work_for_one_address_runs_one_at_a_time()
    {
        var lanes = new SigningLanes();
        var running = 0;
        var maxRunning = 0;
        var order = new List<int>();

        var work = Enumerable.Range(0, 20).Select(i => lanes.RunAsync("akash1same", async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            await Task.Yield();
            await Task.Delay(1);
            lock (order)
            {
                order.Add(i);
            }

            Interlocked.Decrement(ref running);
            return i;
        })).ToList();

        Assert.Equal(Enumerable.Range(0, 20), (await Task.WhenAll(work)).Order());
        Assert.Equal(1, maxRunning);
        Assert.Equal(20, order.Count);
        Assert.Equal(0, lanes.ActiveLanes);
    }

    [Fact]
    public async Task A_second_submission_for_the_same_address_waits_for_the_first()
    {
        var lanes = new SigningLanes();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = false;

        var first = lanes.RunAsync("akash1same", async _ =>
        {
            firstStarted.SetResult();
            await release.Task;
            return Volatile.Read(ref secondStarted);
        });
        await firstStarted.Task;
        var second = lanes.RunAsync("akash1same", _ =>
        {
            Volatile.Write(ref secondStarted, true);
            return Task.FromResult(true);
        });

        release.SetResult();
        Assert.False(await first);    // the second had not started while the first held the lane
        Assert.True(await second);
    }

    [Fact]
    public async Task Different_addresses_do_not_wait_for_each_other()
    {
        var lanes = new SigningLanes();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = lanes.RunAsync("akash1a", async _ =>
        {
            await release.Task;
            return 1;
        });

        // Completes although akash1a's lane is still held.
        Assert.Equal(2, await lanes.RunAsync("akash1b", _ => Task.FromResult(2)));
        Assert.False(held.IsCompleted);
        Assert.Equal(1, lanes.ActiveLanes);

        release.SetResult();
        Assert.Equal(1, await held);
        Assert.Equal(0, lanes.ActiveLanes);
    }

    [Fact]
    public async Task Cancelling_while_waiting_for_a_lane_gives_up_without_running_and_frees_the_lane()
    {
        var lanes = new SigningLanes();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = lanes.RunAsync("akash1same", async _ =>
        {
            await release.Task;
            return 1;
        });

        using var cts = new CancellationTokenSource();
        var ran = false;
        var waiting = lanes.RunAsync("akash1same", _ =>
        {
            ran = true;
            return Task.FromResult(2);
        }, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        release.SetResult();
        Assert.Equal(1, await held);
        Assert.False(ran);
        Assert.Equal(0, lanes.ActiveLanes);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
