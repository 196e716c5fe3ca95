using System.Text.Json;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The simulator's memory of submissions and validation assignments, behind one lock: handing out an assignment and
/// answering it must each see one consistent state when validators call at once.
/// </summary>
internal sealed class Ledger
{
    private readonly Lock _lock = new();
    private readonly List<SubmissionRecord> _submissions = [];
    private readonly List<AssignmentRecord> _assignments = [];

    public IReadOnlyList<SubmissionRecord> Submissions
    {
        get
        {
            lock (_lock) return [.. _submissions];
        }
    }

    public IReadOnlyList<AssignmentRecord> Assignments
    {
        get
        {
            lock (_lock) return [.. _assignments];
        }
    }

    public SubmissionRecord Submit(long taskId, string submitter, JsonElement data, DateTimeOffset at)
    {
        lock (_lock)
        {
            var record = new SubmissionRecord(_submissions.Count + 1, taskId, submitter, data.Clone(), at);
            _submissions.Add(record);
            return record;
        }
    }

    /// <summary>
    /// The oldest submission of the task the validator neither made nor was already given, now assigned to it; null
    /// when there is none. (Which submission the real API picks is not public; a validator judging its own work or the
    /// same work twice is what any ledger must refuse.)
    /// </summary>
    public (AssignmentRecord Assignment, SubmissionRecord Submission)? Assign(long taskId, string validator, DateTimeOffset at)
    {
        lock (_lock)
        {
            var submission = _submissions.FirstOrDefault(s => s.TaskId == taskId && s.Submitter != validator &&
                !_assignments.Any(a => a.SubmissionId == s.Id && a.Validator == validator));
            if (submission is null) return null;
            var assignment = new AssignmentRecord(_assignments.Count + 1, taskId, submission.Id, validator, AssignmentRecord.Validating, at);
            _assignments.Add(assignment);
            return (assignment, submission);
        }
    }

    /// <summary>Answers the validator's assignment; only one still validating can be answered.</summary>
    public UpdateOutcome Update(long assignmentId, string validator, string status, JsonElement? result, DateTimeOffset at)
    {
        lock (_lock)
        {
            var index = _assignments.FindIndex(a => a.Id == assignmentId && a.Validator == validator);
            if (index < 0) return new UpdateOutcome(UpdateResult.NotFound, null);
            var current = _assignments[index];
            if (current.Status != AssignmentRecord.Validating) return new UpdateOutcome(UpdateResult.NotValidating, current);
            var updated = current with { Status = status, Result = result?.Clone(), UpdatedAt = at };
            _assignments[index] = updated;
            return new UpdateOutcome(UpdateResult.Updated, updated);
        }
    }
}

internal enum UpdateResult
{
    Updated,
    NotFound,
    NotValidating,
}

internal sealed record UpdateOutcome(UpdateResult Result, AssignmentRecord? Assignment);
