using System.Text.Json;

namespace Flock.Sandbox.FlockApi;

/// <summary>A submission the simulator accepted: who (the key's holder, never the key) sent what data for which task.</summary>
public sealed record SubmissionRecord(long Id, long TaskId, string Submitter, JsonElement Data, DateTimeOffset SubmittedAt);

/// <summary>
/// A validation assignment: a submission handed to a validator, then completed with its result (the metrics the
/// validator posted as data) or failed. <see cref="Result"/> is null until completed.
/// </summary>
public sealed record AssignmentRecord(long Id, long TaskId, long SubmissionId, string Validator, string Status, DateTimeOffset AssignedAt)
{
    /// <summary>
    /// An assignment handed out and not yet answered. The name is from the real API's refusal
    /// "Validation assignment is not in validating status" (llm-loss-validator v1.1.2 src/validate.py).
    /// </summary>
    public const string Validating = "validating";

    /// <summary>The status values the validators post (FLock-validator validator/api.py, llm-loss-validator src/client/fed_ledger.py).</summary>
    public const string Completed = "completed";

    public const string Failed = "failed";

    public JsonElement? Result { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
}
