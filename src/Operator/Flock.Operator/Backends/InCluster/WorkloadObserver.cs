using k8s.Models;

namespace Flock.Operator.Backends.InCluster;

/// <summary>What the worker's pods say, reduced to what status needs.</summary>
public sealed record WorkloadObservation(
    bool Exists,
    bool Ready,
    int Restarts,
    DateTimeOffset? Since,
    WorkloadProblem? Problem);

/// <summary>Why the worker is not running, with the reason a human can act on and the cluster's own words.</summary>
public sealed record WorkloadProblem(string Reason, string Message, bool Fatal);

/// <summary>
/// Reads readiness from what was observed (the Deployment's available replicas for the current
/// generation and the pod's Ready condition), never from "we created it", and names what blocks it:
/// scheduling, image pulls, crash loops, and the validator's fatal exit code 101.
/// </summary>
public static class WorkloadObserver
{
    /// <summary>The validator's fatal exit code: disk full, or fp16 unsupported on the GPU.</summary>
    public const int ValidatorFatalExit = 101;

    /// <summary>The validator's self-restart exit code; counted, not alarmed.</summary>
    public const int ValidatorRestartExit = 100;

    private static readonly HashSet<string> ImagePullReasons = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"];

    public static WorkloadObservation Observe(V1Deployment? deployment, IReadOnlyList<V1Pod> pods, bool validator)
    {
        if (deployment is null) return new WorkloadObservation(false, false, 0, null, null);

        var pod = pods.Where(p => p.Metadata.DeletionTimestamp is null)
            .OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
        var container = pod?.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == "worker") ?? pod?.Status?.ContainerStatuses?.FirstOrDefault();
        var restarts = pods.Sum(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0);
        var available = (deployment.Status?.AvailableReplicas ?? 0) >= 1
            && (deployment.Status?.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0);
        var podReady = pod?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var ready = available && podReady?.Status == "True";
        var since = ready && podReady?.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : (DateTimeOffset?)null;

        return new WorkloadObservation(true, ready, restarts, since, ready ? null : ProblemOf(pod, container, validator));
    }

    private static WorkloadProblem? ProblemOf(V1Pod? pod, V1ContainerStatus? container, bool validator)
    {
        if (pod is null) return null;
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False", Reason: "Unschedulable" })
        {
            return new WorkloadProblem("Unschedulable", $"the worker's pod cannot be scheduled: {scheduled.Message}", Fatal: false);
        }

        var lastExit = container?.LastState?.Terminated?.ExitCode ?? container?.State?.Terminated?.ExitCode;
        if (validator && lastExit == ValidatorFatalExit)
        {
            return new WorkloadProblem("ValidatorFatalExit",
                "the validator exited with code 101: the disk is full or the GPU does not support fp16; give the cache volume more space or choose another GPU model",
                Fatal: true);
        }

        if (container?.State?.Waiting is { } waiting)
        {
            if (ImagePullReasons.Contains(waiting.Reason ?? ""))
            {
                return new WorkloadProblem("ImagePullFailed", $"cannot pull image {container.Image}: {waiting.Reason}: {waiting.Message}", Fatal: true);
            }

            // The validator exits 100 to restart itself after a poisoned CUDA context: counted, not alarmed.
            if (waiting.Reason == "CrashLoopBackOff" && !(validator && lastExit == ValidatorRestartExit))
            {
                return new WorkloadProblem("CrashLoopBackOff",
                    $"the worker keeps exiting (last exit code {lastExit?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, {container.RestartCount} restarts); see its logs",
                    Fatal: true);
            }
        }

        return null;
    }
}
