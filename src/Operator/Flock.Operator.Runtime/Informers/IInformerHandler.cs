namespace Flock.Operator.Runtime.Informers;

/// <summary>Receives cache changes. Called on the informer's loop, so handlers only enqueue work.</summary>
public interface IInformerHandler<in T>
{
    void OnAdd(T obj);

    /// <summary>A change, or a periodic resync (then old and current are the same object).</summary>
    void OnUpdate(T old, T current);

    void OnDelete(T obj);
}
