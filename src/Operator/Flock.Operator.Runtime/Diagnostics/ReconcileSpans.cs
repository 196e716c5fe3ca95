using System.Diagnostics;
using Flock.Operator.Runtime.Informers;

namespace Flock.Operator.Runtime.Diagnostics;

/// <summary>
/// The root span of one reconcile, "reconcile {Kind}", tagged with the controller, namespace, name and result (the
/// label values of controller_runtime_reconcile_total). The calls the reconcile makes become its children through
/// Activity.Current. The source is the application's, so its spans and ours land in one trace pipeline.
/// </summary>
public sealed class ReconcileSpans(ActivitySource source)
{
    public Activity? Start(string kind, string controller, ObjectKey key)
    {
        // A reconcile starts a trace of its own: whatever the worker loop inherited is not its cause.
        Activity.Current = null;
        var activity = source.StartActivity("reconcile " + kind, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("controller", controller);
            activity.SetTag("namespace", key.Namespace);
            activity.SetTag("name", key.Name);
        }

        return activity;
    }

    /// <summary>Tags the result; an error keeps only the exception's type (messages are not span material).</summary>
    public static void Finish(Activity? activity, string result, Exception? error = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("result", result);
        if (error is not null)
        {
            activity.SetTag("error.type", error.GetType().Name);
            activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        }
    }
}
