using Flock.Crds.V1Alpha1;
using Flock.Operator.FlockTasks;

namespace Flock.Operator.Workers;

/// <summary>What the FLock tasks mean for the worker this pass.</summary>
public sealed record TaskVerdict(
    ConditionStatus Open,
    string Reason,
    string Message,
    bool Closed,
    bool NotFound,
    bool ApiUnavailable,
    IReadOnlyList<FlockTaskStatus> Tasks,
    bool Unservable = false);

/// <summary>
/// Reads the task snapshots for one resource: a training node works while its task is in the
/// submission phase; a validator while any of its tasks is not finished. An unknown task id stops
/// the worker with TaskNotFound; an unreachable FLock API changes nothing but the Degraded signal.
/// </summary>
public static class TaskJudge
{
    public static TaskVerdict Judge(WorkerProfile profile, IReadOnlyList<TaskSnapshot> snapshots, DateTimeOffset now)
    {
        var tasks = snapshots.Select(ToStatus).ToList();
        var missing = snapshots.Where(s => s.Task is null && s.LastError?.Error == FlockApiError.NotFound).Select(s => s.TaskId).ToList();
        var unavailable = snapshots.Where(s => s.LastError is { Error: not FlockApiError.NotFound }).ToList();
        var apiUnavailable = unavailable.Count > 0;

        if (missing.Count > 0)
        {
            return new TaskVerdict(ConditionStatus.False, "TaskNotFound",
                $"the FLock API knows no task {string.Join(", ", missing)}; check the task id", Closed: false, NotFound: true, apiUnavailable, tasks);
        }

        if (snapshots.Any(s => s.Task is null))
        {
            var why = apiUnavailable
                ? $"the FLock API is unavailable: {unavailable[0].LastError!.Message}"
                : "waiting for the first read of the task from the FLock API";
            return new TaskVerdict(ConditionStatus.Unknown, apiUnavailable ? ErrorReason(unavailable[0].LastError!) : "TaskPending", why, false, false, apiUnavailable, tasks);
        }

        var known = snapshots.Select(s => s.Task!).ToList();
        var unservable = known.Where(t => !WorkerTaskTypes.Serves(profile, t.EffectiveType)).ToList();
        if (unservable.Count > 0)
        {
            // A worker that cannot do the task would burn GPU hours and submit nothing that counts: it is held until a
            // person points it at a task it serves or at an image that serves the type.
            var reason = "TaskTypeUnsupported";
            return new TaskVerdict(ConditionStatus.False, reason, WorkerTaskTypes.Explain(profile, unservable), false, false, apiUnavailable, tasks, Unservable: true);
        }

        var open = profile.Kind == FlockTrainingNode.KindName
            ? known.Where(t => t.AcceptsSubmissions).ToList()
            : known.Where(t => !t.IsFinished(now)).ToList();
        var suffix = apiUnavailable
            ? $" (values as last read at {unavailable[0].LastSync:u}; {unavailable[0].LastError!.Message})"
            : "";
        if (open.Count > 0)
        {
            var reason = apiUnavailable ? ErrorReason(unavailable[0].LastError!) : profile.Kind == FlockTrainingNode.KindName ? "SubmissionPhase" : "ValidationOpen";
            var message = string.Join("; ", open.Select(t => $"task {t.Id} is in {t.Status}" + (t.SubmissionPhaseEndsAt is { } end && t.AcceptsSubmissions ? $" until {end:u}" : "")));
            return new TaskVerdict(ConditionStatus.True, reason, message + suffix, false, false, apiUnavailable, tasks);
        }

        var closedReason = profile.Kind == FlockTrainingNode.KindName ? "SubmissionPhaseEnded" : "TaskCompleted";
        var closedMessage = string.Join("; ", known.Select(t => $"task {t.Id} is {t.Status}")) + ": the worker is stopped";
        return new TaskVerdict(ConditionStatus.False, closedReason, closedMessage + suffix, Closed: true, false, apiUnavailable, tasks);
    }

    /// <summary>The condition reason for a failing FLock API: what kind of failure, in one word a program can match.</summary>
    public static string ErrorReason(FlockApiException error) => error.Error switch
    {
        FlockApiError.Malformed => "FlockApiMalformed",
        FlockApiError.Unauthorized or FlockApiError.Forbidden => "FlockApiUnauthorized",
        FlockApiError.RateLimited => "FlockApiRateLimited",
        _ => "FlockApiUnavailable",
    };

    private static FlockTaskStatus ToStatus(TaskSnapshot snapshot) => new()
    {
        Id = snapshot.TaskId,
        Title = snapshot.Task?.Title,
        State = snapshot.Task?.Status,
        SubmissionPhaseEndsAt = snapshot.Task?.SubmissionPhaseEndsAt,
        FinalValidationEndsAt = snapshot.Task?.FinalValidationEndsAt,
        MaxParams = snapshot.Task?.MaxParams,
        TaskType = snapshot.Task?.TaskType,
        LastSync = snapshot.LastSync is { } sync ? new DateTimeOffset(sync.UtcTicks - sync.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero) : null,
    };
}
