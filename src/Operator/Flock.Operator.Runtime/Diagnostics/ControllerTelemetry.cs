using System.Diagnostics;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Metrics;
using Flock.Operator.Runtime.Queue;

namespace Flock.Operator.Runtime.Diagnostics;

/// <summary>What the controllers of a manager report to: the runtime's metrics and a span around each reconcile.</summary>
public sealed class ControllerTelemetry(RuntimeMetrics metrics, ReconcileSpans spans) : IControllerObserver
{
    public Activity? ReconcileStarted(string controller, string kind, ObjectKey key) => spans.Start(kind, controller, key);

    public void Reconciled(string controller, string result, TimeSpan duration, Activity? span, Exception? error)
    {
        metrics.Reconciled(controller, result, duration);
        ReconcileSpans.Finish(span, result, error);
    }

    public IWorkQueueObserver<ObjectKey>? QueueObserver(string controller) => metrics.QueueObserver(controller);
}
