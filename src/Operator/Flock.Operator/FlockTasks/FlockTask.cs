namespace Flock.Operator.FlockTasks;

/// <summary>A FLock task as GET /tasks/get returns it (only the fields the operator uses).</summary>
public sealed record FlockTask
{
    public required long Id { get; init; }
    public string? Title { get; init; }

    /// <summary>submission_phase while models may be submitted; later phases after.</summary>
    public required string Status { get; init; }

    public DateTimeOffset? SubmissionPhaseEndsAt { get; init; }
    public DateTimeOffset? FinalValidationEndsAt { get; init; }
    public long? MaxParams { get; init; }
    public int? ContextLength { get; init; }

    /// <summary>task_type: what a worker must do for this task (<see cref="FlockTaskTypes"/>); null when the API does not say.</summary>
    public string? TaskType { get; init; }

    /// <summary>The task's type, reading a task that does not say as a training task (tasks from before types existed).</summary>
    public string EffectiveType => TaskType ?? FlockTaskTypes.Training;

    public const string SubmissionPhase = "submission_phase";

    public bool AcceptsSubmissions => Status == SubmissionPhase;

    /// <summary>Submissions are over and validation has ended too: nothing is left for a validator.</summary>
    public bool IsFinished(DateTimeOffset now) =>
        Status is "completed" or "finished" or "ended" || (FinalValidationEndsAt is { } end && now >= end);
}
