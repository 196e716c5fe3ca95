using System.Collections.Concurrent;
using Flock.Operator.Runtime.Sources;

namespace Flock.Operator.Tests.Runtime;

public sealed class ChannelSourceTests
{
    [Fact]
    public async Task Every_subscriber_gets_every_event_published_while_it_is_subscribed()
    {
        var source = new ChannelSource<int>();
        source.Publish(0);
        using var stop = new CancellationTokenSource();
        var a = new ConcurrentQueue<int>();
        var b = new ConcurrentQueue<int>();
        var runA = source.RunAsync(a.Enqueue, stop.Token);
        var runB = source.RunAsync(b.Enqueue, stop.Token);

        // Subscribed as soon as RunAsync has returned: nothing published after that is missed.
        for (var i = 1; i <= 100; i++) source.Publish(i);
        await Eventually.TrueAsync(() => a.Count == 100 && b.Count == 100, "both subscribers saw all 100 events");
        await stop.CancelAsync();
        await Task.WhenAll(runA, runB);

        Assert.Equal(Enumerable.Range(1, 100), a);
        Assert.Equal(Enumerable.Range(1, 100), b);
        Assert.Equal(0, source.Subscribers);
    }

    [Fact]
    public async Task A_subscriber_that_stopped_gets_nothing_more_and_does_not_hold_back_the_others()
    {
        var source = new ChannelSource<string>();
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = new ConcurrentQueue<string>();
        var second = new ConcurrentQueue<string>();
        var runFirst = source.RunAsync(first.Enqueue, stopFirst.Token);
        var runSecond = source.RunAsync(second.Enqueue, stopSecond.Token);

        await stopFirst.CancelAsync();
        await runFirst;
        source.Publish("after");
        await Eventually.TrueAsync(() => second.Count == 1, "the second subscriber saw the event");
        await stopSecond.CancelAsync();
        await runSecond;

        Assert.Empty(first);
        Assert.Equal(["after"], second);
    }
}
