using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>Turns informer changes into queue keys, filtered by a predicate on updates.</summary>
internal sealed class EnqueueHandler<T>(WorkQueue<ObjectKey> queue, Func<T, IEnumerable<ObjectKey>> keys, UpdatePredicate<T> predicate)
    : IInformerHandler<T> where T : class
{
    public void OnAdd(T obj) => Enqueue(obj);

    public void OnUpdate(T old, T current)
    {
        // A resync hands the same object twice: always let it through, it is the safety net.
        if (ReferenceEquals(old, current) || predicate(old, current))
        {
            Enqueue(old);
            Enqueue(current);
        }
    }

    public void OnDelete(T obj) => Enqueue(obj);

    private void Enqueue(T obj)
    {
        foreach (var key in keys(obj)) queue.Add(key);
    }
}
