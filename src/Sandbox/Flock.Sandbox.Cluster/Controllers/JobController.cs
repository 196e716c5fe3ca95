using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Machinery;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Controllers;

/// <summary>
/// The Job controller (batch/v1) for NonIndexed Jobs: runs up to parallelism pods until completions
/// succeeded, replaces failed pods after a back-off until more than backoffLimit have failed, and
/// finishes the Job as Kubernetes 1.31+ does: SuccessCriteriaMet then Complete (with completionTime),
/// or FailureTarget then Failed (reason BackoffLimitExceeded) once no pod is left running.
/// </summary>
internal sealed class JobController : ControllerLoop
{
    private const string Component = "job-controller";
    private const string BackoffMessage = "Job has reached the specified backoff limit";
    private const string CompletionsMessage = "Reached expected number of succeeded pods";
    private const string DeadlineMessage = "Job was active longer than specified deadline";

    private readonly IKubernetes _client;
    private readonly EventRecorder _events;
    private readonly ClusterOptions _options;
    private readonly WrittenStatus _written = new();

    // Pods already counted per Job: the real controller keeps this in status.uncountedTerminatedPods and pod finalizers.
    private readonly Dictionary<string, HashSet<string>> _succeeded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _failed = new(StringComparer.Ordinal);

    public JobController(IKubernetes client, ClusterCaches caches, EventRecorder events, ClusterOptions options, ILogger log)
        : base(caches, log)
    {
        _client = client;
        _events = events;
        _options = options;
        WatchInformer(caches.Jobs);
        WatchInformer(caches.Pods);
    }

    protected override async Task<TimeSpan?> ReconcileAsync(CancellationToken ct)
    {
        TimeSpan? next = null;
        var jobs = Caches.Jobs.List();
        foreach (var job in jobs.Where(j => j.Metadata.DeletionTimestamp is null))
        {
            next = Earliest(next, await GuardAsync(job.Metadata.Name, () => SyncAsync(job, ct), ct).ConfigureAwait(false));
        }

        var live = jobs.Select(j => j.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var k in _succeeded.Keys.Where(k => !live.Contains(k)).ToList()) _succeeded.Remove(k);
        foreach (var k in _failed.Keys.Where(k => !live.Contains(k)).ToList()) _failed.Remove(k);
        _written.Forget(live);
        return next;
    }

    private static bool IsFinished(V1Job job) =>
        job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed" && c.Status == "True") == true;

    private static bool HasCondition(V1Job job, string type) => job.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;

    private async Task<TimeSpan?> SyncAsync(V1Job job, CancellationToken ct)
    {
        if (IsFinished(job)) return null;
        var now = _options.Clock.GetUtcNow();
        var uid = job.Metadata.Uid;
        var pods = Caches.Pods.List().Where(p => Owners.IsControlledBy(p.Metadata, job.Metadata)).ToList();
        var succeededSet = _succeeded.TryGetValue(uid, out var s) ? s : _succeeded[uid] = [];
        var failedSet = _failed.TryGetValue(uid, out var f) ? f : _failed[uid] = [];
        foreach (var p in pods)
        {
            if (p.Status?.Phase == "Succeeded") succeededSet.Add(p.Metadata.Uid);
            else if (p.Status?.Phase == "Failed") failedSet.Add(p.Metadata.Uid);
        }

        var active = pods.Where(Owners.IsActive).ToList();
        var terminating = pods.Count(p => p.Metadata.DeletionTimestamp is not null && p.Status?.Phase is not ("Succeeded" or "Failed"));
        var succeeded = Math.Max(job.Status?.Succeeded ?? 0, succeededSet.Count);
        var failed = Math.Max(job.Status?.Failed ?? 0, failedSet.Count);
        var completions = job.Spec.Completions ?? 1;
        var parallelism = job.Spec.Parallelism ?? 1;
        var backoffLimit = job.Spec.BackoffLimit ?? 6;

        // With restartPolicy OnFailure the containers restart in place; their restarts count as failures.
        var restarts = job.Spec.Template?.Spec?.RestartPolicy == "OnFailure"
            ? active.Sum(p => p.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0)
            : 0;
        var conditions = (job.Status?.Conditions ?? []).ToList();
        var at = now.UtcDateTime;
        DateTime? completionTime = null;
        TimeSpan? next = null;

        var successMet = HasCondition(job, "SuccessCriteriaMet") || succeeded >= completions;
        var started = job.Status?.StartTime is { } st ? new DateTimeOffset(DateTime.SpecifyKind(st, DateTimeKind.Utc)) : now;
        var deadlineAt = job.Spec.ActiveDeadlineSeconds is { } ads ? started.AddSeconds(ads) : (DateTimeOffset?)null;
        var existingTarget = job.Status?.Conditions?.FirstOrDefault(c => c is { Type: "FailureTarget", Status: "True" });
        var (failReason, failMessage) = existingTarget is not null ? (existingTarget.Reason, existingTarget.Message)
            : failed + restarts > backoffLimit ? ("BackoffLimitExceeded", BackoffMessage)
            : deadlineAt <= now ? ("DeadlineExceeded", DeadlineMessage)
            : (null, null);
        var failureTarget = !successMet && failReason is not null;
        if (successMet)
        {
            if (!HasCondition(job, "SuccessCriteriaMet")) conditions.Add(Condition("SuccessCriteriaMet", "CompletionsReached", CompletionsMessage, at));
            await DeleteAllAsync(active, ct).ConfigureAwait(false);
            if (active.Count == 0 && terminating == 0)
            {
                conditions.Add(Condition("Complete", "CompletionsReached", CompletionsMessage, at));
                completionTime = at;
                Log.LogInformation("job {Namespace}/{Job} completed", job.Metadata.NamespaceProperty, job.Metadata.Name);
                await _events.NormalAsync(Component, null, EventTarget.Of(job), "Completed", "Job completed", ct).ConfigureAwait(false);
            }
        }
        else if (failureTarget)
        {
            if (existingTarget is null) conditions.Add(Condition("FailureTarget", failReason!, failMessage!, at));

            await DeleteAllAsync(active, ct).ConfigureAwait(false);
            if (active.Count == 0 && terminating == 0)
            {
                conditions.Add(Condition("Failed", failReason!, failMessage!, at));
                Log.LogInformation("job {Namespace}/{Job} failed: {Message}", job.Metadata.NamespaceProperty, job.Metadata.Name, failMessage);
                await _events.WarningAsync(Component, null, EventTarget.Of(job), failReason!, failMessage!, ct).ConfigureAwait(false);
            }
        }
        else if (job.Spec.Suspend != true)
        {
            var wanted = Math.Min(parallelism, completions - succeeded) - active.Count;
            var lastFailure = pods.Where(p => p.Status?.Phase == "Failed")
                .Select(p => p.Status?.ContainerStatuses?.Select(c => c.State?.Terminated?.FinishedAt).Max() ?? p.Metadata.CreationTimestamp)
                .Max();
            var readyAt = lastFailure is { } lf ? new DateTimeOffset(DateTime.SpecifyKind(lf, DateTimeKind.Utc)) + BackOff(failed) : now;
            if (wanted > 0 && readyAt > now)
            {
                next = readyAt - now;
            }
            else
            {
                for (var i = 0; i < wanted; i++)
                {
                    var pod = await _client.CoreV1.CreateNamespacedPodAsync(NewPod(job), job.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                    Caches.Pods.Upsert(pod);
                    active.Add(pod);
                    await _events.NormalAsync(Component, null, EventTarget.Of(job), "SuccessfulCreate", $"Created pod: {pod.Metadata.Name}", ct).ConfigureAwait(false);
                }
            }
        }

        if (deadlineAt is { } dl && !successMet && !failureTarget) next = Earliest(next, dl - now);
        var finished = conditions.Any(c => c.Type is "Complete" or "Failed");
        var status = new V1JobStatus
        {
            StartTime = job.Status?.StartTime ?? at,
            CompletionTime = completionTime ?? job.Status?.CompletionTime,
            Active = finished ? null : NullIfZero(active.Count(Owners.IsActive)),
            Succeeded = NullIfZero(succeeded),
            Failed = NullIfZero(failed),
            Ready = finished ? 0 : active.Count(Owners.IsReady),
            Terminating = finished ? 0 : terminating,
            UncountedTerminatedPods = new V1UncountedTerminatedPods(),
            Conditions = conditions.Count == 0 ? null : conditions,
        };
        if (_written.NeedsWrite(uid, status, job.Status))
        {
            try
            {
                var updated = await _client.BatchV1.PatchNamespacedJobStatusAsync(Patches.Status(status, job.Status), job.Metadata.Name, job.Metadata.NamespaceProperty,
                    cancellationToken: ct).ConfigureAwait(false);
                _written.Written(uid, status);
                Caches.Jobs.Upsert(updated);
            }
            catch (Exception e) when (Patches.IsNotFound(e))
            {
                return null;
            }
        }

        return next;
    }

    private TimeSpan BackOff(int failed) => _options.JobBackOff * Math.Pow(2, Math.Clamp(failed - 1, 0, 6));

    private static int? NullIfZero(int n) => n == 0 ? null : n;

    private async Task DeleteAllAsync(IEnumerable<V1Pod> pods, CancellationToken ct)
    {
        foreach (var p in pods)
        {
            try
            {
                await _client.CoreV1.DeleteNamespacedPodAsync(p.Metadata.Name, p.Metadata.NamespaceProperty,
                    new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = p.Metadata.Uid } }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Patches.IsNotFound(e) || Patches.IsConflict(e))
            {
            }
        }
    }

    private static V1JobCondition Condition(string type, string reason, string message, DateTime at) => new()
    {
        Type = type,
        Status = "True",
        Reason = reason,
        Message = message,
        LastProbeTime = at,
        LastTransitionTime = at,
    };

    private static V1Pod NewPod(V1Job job)
    {
        var template = job.Spec.Template;
        var labels = Owners.CopyOf(template?.Metadata?.Labels);
        labels["batch.kubernetes.io/controller-uid"] = job.Metadata.Uid;
        labels["batch.kubernetes.io/job-name"] = job.Metadata.Name;
        labels["controller-uid"] = job.Metadata.Uid;
        labels["job-name"] = job.Metadata.Name;
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = job.Metadata.Name + "-",
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = template?.Metadata?.Annotations is null ? null : Owners.CopyOf(template.Metadata.Annotations),
                OwnerReferences = [Owners.ControllerRef("batch/v1", "Job", job.Metadata)],
            },
            Spec = Owners.Clone(template?.Spec ?? new V1PodSpec()),
        };
    }
}
