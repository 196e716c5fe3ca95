namespace Flock.Sandbox.FlockApi;

/// <summary>
/// A task as the fed-ledger serves it. Its status follows the clock: submission_phase until
/// submission_phase_ends_at, then final_validation until final_validation_ends_at, then completed.
/// Only "submission_phase" is confirmed from FLock's code; the later names are our stand-ins.
/// </summary>
public sealed record SimulatedTask
{
    public required long Id { get; init; }
    public string Title { get; init; } = "Arena task";
    public string Description { get; init; } = "Finetune a model for the task's dataset.";

    /// <summary>One of <see cref="TaskTypes"/>; it decides what a submission must carry and what an assignment holds.</summary>
    public string TaskType { get; init; } = TaskTypes.Training;

    public required DateTimeOffset InitializedAt { get; init; }
    public required DateTimeOffset SubmissionPhaseEndsAt { get; init; }
    public required DateTimeOffset FinalValidationEndsAt { get; init; }
    public long MaxParams { get; init; } = 7_000_000_000;
    public int ContextLength { get; init; } = 2048;

    public const string SubmissionPhase = "submission_phase";
    public const string FinalValidation = "final_validation";
    public const string Completed = "completed";

    public string StatusAt(DateTimeOffset now) =>
        now < SubmissionPhaseEndsAt ? SubmissionPhase : now < FinalValidationEndsAt ? FinalValidation : Completed;

    /// <summary>A task that opened now and runs for the given phases.</summary>
    public static SimulatedTask Open(long id, DateTimeOffset now, TimeSpan submission, TimeSpan validation, string taskType = TaskTypes.Training) => new()
    {
        Id = id,
        Title = $"Arena task {id}",
        TaskType = taskType,
        InitializedAt = now,
        SubmissionPhaseEndsAt = now + submission,
        FinalValidationEndsAt = now + submission + validation,
    };
}
