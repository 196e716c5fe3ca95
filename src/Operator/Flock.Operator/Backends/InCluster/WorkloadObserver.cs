using Flock.Operator.Runtime.Informers;
using k8s.Models;

namespace Flock.Operator.Backends.InCluster;

/// <summary>What the worker's pods say, reduced to what status needs.</summary>
public sealed record WorkloadObservation(
    bool Exists,
    bool Ready,
    int Restarts,
    DateTimeOffset? Since,
    WorkloadProblem? Problem,
    DateTimeOffset? NextRunAt = null);

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

    /// <summary>
    /// A scheduled worker: ready while its current run's pod is; between runs it waits for the next slot.
    /// A failed last run is reported (not fatal: the next slot runs again).
    /// </summary>
    public static WorkloadObservation ObserveRuns(IReadOnlyList<V1Job> runs, IReadOnlyList<V1Pod> pods, DateTimeOffset nextRunAt)
    {
        var active = runs.FirstOrDefault(j => !Finished(j));
        var activePods = active is null ? [] : pods.Where(p => p.Metadata.Label("job-name") == active.Metadata.Name
            || p.Metadata.OwnerReferences?.Any(o => o.Uid == active.Metadata.Uid) == true).ToList();
        var pod = activePods.OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
        var podReady = pod?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var ready = podReady?.Status == "True";
        var restarts = pods.Sum(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0);
        var lastFinished = runs.Where(Finished).OrderByDescending(j => j.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
        var failed = lastFinished?.Status?.Conditions?.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True");
        WorkloadProblem? problem = null;
        if (active is not null && pod is not null && !ready) problem = ProblemOf(pod, pod.Status?.ContainerStatuses?.FirstOrDefault(), validator: false);
        problem ??= failed is null ? null : new WorkloadProblem("ScheduledRunFailed",
            $"the last scheduled run {lastFinished!.Metadata.Name} failed: {failed.Reason}: {failed.Message}; the next run starts at {nextRunAt:u}", Fatal: false);
        var since = ready && podReady?.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        // While a run is in progress the worker is judged like any other; only between runs does it wait for a slot.
        return new WorkloadObservation(runs.Count > 0, ready, restarts, since, problem, active is null ? nextRunAt : null);
    }

    public static bool Finished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

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
