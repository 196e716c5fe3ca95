using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>Hooks for controller metrics (reconcile counts and durations by result).</summary>
public interface IControllerObserver
{
    void Reconciled(string controller, string result, TimeSpan duration);

    IWorkQueueObserver<ObjectKey>? QueueObserver(string controller);
}

internal sealed class NoControllerObserver : IControllerObserver
{
    public static readonly NoControllerObserver Instance = new();

    public void Reconciled(string controller, string result, TimeSpan duration)
    {
    }

    public IWorkQueueObserver<ObjectKey>? QueueObserver(string controller) => null;
}
