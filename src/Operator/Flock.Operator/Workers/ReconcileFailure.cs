using System.Globalization;
using System.Net;
using Flock.Operator.Runtime.Client;

namespace Flock.Operator.Workers;

/// <summary>The step of a pass that can fail; each has its own condition reason.</summary>
public enum ReconcileStage
{
    /// <summary>Adding the cleanup finalizer.</summary>
    Finalizer,

    /// <summary>Reading what the pass decides on: Secrets, Auto placement's nodes and pods.</summary>
    Placement,

    /// <summary>Creating, updating or stopping the in-cluster Deployment, runs or cache claim.</summary>
    InCluster,

    /// <summary>The Akash deployment, lease, escrow or manifest.</summary>
    Akash,

    /// <summary>Removing the worker on delete.</summary>
    Cleanup,
}

/// <summary>
/// A pass that threw, as status reports it: the reason names the step that failed, the message says what answered
/// (the exception's kind and text, one line, bounded). Reasons of failed passes are never those of a workload, so
/// Ready can tell "the last pass failed" from "the worker is not ready".
/// </summary>
public sealed record ReconcileFailure(ReconcileStage Stage, string Reason, string Message, Exception Exception)
{
    /// <summary>Every reason a failed pass sets.</summary>
    public static readonly IReadOnlySet<string> Reasons = Enum.GetValues<ReconcileStage>().Select(s => Step(s).Reason).ToHashSet(StringComparer.Ordinal);

    private const int MaxDetail = 400;

    public static ReconcileFailure Of(ReconcileStage stage, Exception e)
    {
        var (reason, what) = Step(stage);
        return new ReconcileFailure(stage, reason, $"{what}: {Describe(e)}; retrying with backoff", e);
    }

    private static (string Reason, string What) Step(ReconcileStage stage) => (StepReason(stage), StepDescription(stage));

    private static string StepReason(ReconcileStage stage) => stage switch
    {
        ReconcileStage.Finalizer => "FinalizerPatchFailed",
        ReconcileStage.Placement => "PlacementFailed",
        ReconcileStage.InCluster => "InClusterBackendFailed",
        ReconcileStage.Akash => "AkashBackendFailed",
        _ => "CleanupFailed",
    };

    private static string StepDescription(ReconcileStage stage) => stage switch
    {
        ReconcileStage.Finalizer => "adding the cleanup finalizer failed",
        ReconcileStage.Placement => "reading what placement and the worker's inputs depend on failed",
        ReconcileStage.InCluster => "applying the in-cluster worker failed",
        ReconcileStage.Akash => "applying the Akash deployment failed",
        _ => "removing the worker failed",
    };

    /// <summary>What answered, in a line: the API server's status code and reason, or the exception's kind and text.</summary>
    private static string Describe(Exception e)
    {
        var detail = e switch
        {
            KubeApiException api => string.Create(CultureInfo.InvariantCulture,
                $"the Kubernetes API answered {(int)api.StatusCode} {(api.Reason ?? ReasonPhrase(api.StatusCode))}: {api.Message}"),
            TimeoutException or TaskCanceledException => $"timed out ({e.Message})",
            _ => $"{e.GetType().Name}: {e.Message}",
        };
        detail = string.Join(' ', detail.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return detail.Length <= MaxDetail ? detail : detail[..MaxDetail] + "…";
    }

    private static string ReasonPhrase(HttpStatusCode code) => code.ToString();
}
