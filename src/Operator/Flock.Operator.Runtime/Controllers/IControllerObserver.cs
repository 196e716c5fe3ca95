using System.Diagnostics;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>Hooks for a controller's telemetry: a span around each reconcile, reconcile counts and durations by result, queue metrics.</summary>
public interface IControllerObserver
{
    /// <summary>
    /// A reconcile of <paramref name="key"/> begins. The span returned (null for none) is current while the reconciler
    /// runs, so the calls it makes nest under it; it is handed back to <see cref="Reconciled"/> and disposed after.
    /// </summary>
    Activity? ReconcileStarted(string controller, string kind, ObjectKey key);

    /// <summary>The reconcile ended with <paramref name="result"/> (success, requeue_after, error) after <paramref name="duration"/>.</summary>
    void Reconciled(string controller, string result, TimeSpan duration, Activity? span, Exception? error);

    IWorkQueueObserver<ObjectKey>? QueueObserver(string controller);
}

internal sealed class NoControllerObserver : IControllerObserver
{
    public static readonly NoControllerObserver Instance = new();

    public Activity? ReconcileStarted(string controller, string kind, ObjectKey key) => null;

    public void Reconciled(string controller, string result, TimeSpan duration, Activity? span, Exception? error)
    {
    }

    public IWorkQueueObserver<ObjectKey>? QueueObserver(string controller) => null;
}
