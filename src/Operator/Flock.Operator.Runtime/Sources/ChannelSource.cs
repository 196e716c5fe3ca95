using System.Threading.Channels;

namespace Flock.Operator.Runtime.Sources;

/// <summary>
/// An <see cref="IEventSource{TEvent}"/> fed by <see cref="Publish"/>: each subscriber reads its own channel, so one
/// slow subscriber never holds back another, and the publisher never waits.
/// </summary>
public sealed class ChannelSource<TEvent> : IEventSource<TEvent>
{
    private readonly Lock _lock = new();
    // Replaced, never changed in place, so Publish reads it without the lock.
    private ChannelWriter<TEvent>[] _subscribers = [];

    /// <summary>Subscribers right now (for tests and diagnostics).</summary>
    public int Subscribers => Volatile.Read(ref _subscribers).Length;

    /// <summary>Hands <paramref name="event"/> to every current subscriber; with none, it goes nowhere.</summary>
    public void Publish(TEvent @event)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
        {
            // Unbounded, so this never fails while the subscriber runs: a dropped event would be a reconcile missed,
            // and subscribers only turn events into queue keys, which keeps their backlog short.
            subscriber.TryWrite(@event);
        }
    }

    public async Task RunAsync(Action<TEvent> handler, CancellationToken ct)
    {
        var channel = Channel.CreateUnbounded<TEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        // Before the first await: the caller's subscription exists once this method has returned its task.
        lock (_lock) Volatile.Write(ref _subscribers, [.. _subscribers, channel.Writer]);
        try
        {
            await foreach (var @event in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                handler(@event);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            lock (_lock) Volatile.Write(ref _subscribers, _subscribers.Where(w => w != channel.Writer).ToArray());
            channel.Writer.TryComplete();
        }
    }
}
