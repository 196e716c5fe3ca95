namespace Flock.Operator.Runtime.Sources;

/// <summary>
/// Events from outside the cluster (a poll of an outside API, a chain's logs) that make a controller look at some
/// objects again, as controller-runtime's source.Channel does. Every subscriber sees every event published while it
/// is subscribed.
/// </summary>
public interface IEventSource<out TEvent>
{
    /// <summary>
    /// Hands each event to <paramref name="handler"/>, one at a time, until <paramref name="ct"/> is cancelled; the
    /// task then completes. The subscription is in place when this method returns, so no later event is missed.
    /// </summary>
    Task RunAsync(Action<TEvent> handler, CancellationToken ct);
}
