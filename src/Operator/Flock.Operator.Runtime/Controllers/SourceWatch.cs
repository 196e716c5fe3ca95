using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;
using Flock.Operator.Runtime.Sources;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>A source a controller runs for as long as it runs.</summary>
internal interface IWatchedSource
{
    Task RunAsync(CancellationToken ct);
}

/// <summary>Turns the events of an outside source into queue keys through a mapping.</summary>
internal sealed class SourceWatch<TEvent>(IEventSource<TEvent> source, Func<TEvent, IEnumerable<ObjectKey>> map, WorkQueue<ObjectKey> queue,
    Action<Exception> mapFailed) : IWatchedSource
{
    public Task RunAsync(CancellationToken ct) => source.RunAsync(Enqueue, ct);

    private void Enqueue(TEvent @event)
    {
        try
        {
            foreach (var key in map(@event)) queue.Add(key);
        }
        catch (Exception e)
        {
            // One event the mapping cannot place must not stop the source for every later one.
            mapFailed(e);
        }
    }
}
