namespace Flock.Operator.Runtime.Queue;

/// <summary>Hooks for queue metrics (depth, adds, retries, latency); called under the queue's lock, so keep them cheap.</summary>
public interface IWorkQueueObserver<in TKey>
{
    void Added(TKey key);
    void Retried(TKey key);
    void Started(TKey key);
    void Finished(TKey key);
}

internal sealed class NoWorkQueueObserver<TKey> : IWorkQueueObserver<TKey>
{
    public static readonly NoWorkQueueObserver<TKey> Instance = new();

    public void Added(TKey key)
    {
    }

    public void Retried(TKey key)
    {
    }

    public void Started(TKey key)
    {
    }

    public void Finished(TKey key)
    {
    }
}
