using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The validator's side. POST /tasks/request-validation-assignment/{task_id} (no body; FLock-validator validator/api.py,
/// llm-loss-validator src/client/fed_ledger.py) hands out an assignment (<see cref="AssignmentJson"/>), or refuses with
/// the two details both validators compare whole bodies against: "No task submissions available to validate" and the
/// rate limit (<see cref="AssignmentLookupLimit"/>). POST /tasks/update-validation-assignment/{id} takes
/// {"status": "completed", "data": metrics} or {"status": "failed"}; answering an assignment that is no longer
/// validating is refused with "Validation assignment is not in validating status" (the text llm-loss-validator v1.1.2
/// src/validate.py compares, then marks the assignment failed).
/// The validators only test for 200, so the refusal codes are ours: 400 for both known details (as the simulator
/// answered before), 429 for the rate limit, 404 for an assignment that is not the caller's.
/// </summary>
internal sealed class AssignmentEndpoints(TaskBoard tasks, ApiKeys keys, Ledger ledger, AssignmentLookupLimit limit, TimeProvider time)
{
    public const string NoSubmissions = "No task submissions available to validate";
    public const string NotValidating = "Validation assignment is not in validating status";

    public async Task RequestAsync(HttpContext context, string taskId)
    {
        if (keys.HolderOf(context) is not { } validator)
        {
            await FastApiErrors.DetailAsync(context, 401, ApiKeys.InvalidKeyDetail);
            return;
        }

        if (RequestBodies.PathInteger(taskId) is not { } id)
        {
            await FastApiErrors.InvalidAsync(context, [FieldError.NotInteger("path", "task_id")]);
            return;
        }

        if (!limit.TryAcquire(validator))
        {
            await FastApiErrors.DetailAsync(context, 429, AssignmentLookupLimit.Detail);
            return;
        }

        if (tasks.Get(id) is not { } task)
        {
            await FastApiErrors.DetailAsync(context, 404, "Task not found");
            return;
        }

        if (ledger.Assign(task.Id, validator, time.GetUtcNow()) is not { } handed)
        {
            await FastApiErrors.DetailAsync(context, 400, NoSubmissions);
            return;
        }

        await context.Response.WriteAsJsonAsync(AssignmentJson.Of(handed.Assignment, handed.Submission, task), context.RequestAborted);
    }

    public async Task UpdateAsync(HttpContext context, string assignmentId)
    {
        var (body, decodeError) = await RequestBodies.ReadAsync(context);
        if (decodeError is { Type: "value_error.jsondecode" })
        {
            await FastApiErrors.InvalidAsync(context, [decodeError]);
            return;
        }

        if (keys.HolderOf(context) is not { } validator)
        {
            await FastApiErrors.DetailAsync(context, 401, ApiKeys.InvalidKeyDetail);
            return;
        }

        UpdateBody? parsed = null;
        List<FieldError> errors = decodeError is not null ? [decodeError] : RequestBodies.Update(body, out parsed);
        var id = RequestBodies.PathInteger(assignmentId);
        if (id is null) errors.Insert(0, FieldError.NotInteger("path", "assignment_id"));
        if (errors.Count > 0 || parsed is null || id is null)
        {
            await FastApiErrors.InvalidAsync(context, errors);
            return;
        }

        if (parsed.Status is not (AssignmentRecord.Completed or AssignmentRecord.Failed))
        {
            await FastApiErrors.DetailAsync(context, 400, $"Invalid status '{parsed.Status}'");
            return;
        }

        var current = ledger.Assignments.FirstOrDefault(a => a.Id == id && a.Validator == validator);
        var taskType = current is null ? TaskTypes.Training : tasks.Get(current.TaskId)?.TaskType ?? TaskTypes.Training;
        if (current is { Status: AssignmentRecord.Validating } && parsed.Status == AssignmentRecord.Completed &&
            SubmissionRules.ResultRefusal(taskType, parsed.Data) is { } refusal)
        {
            await FastApiErrors.DetailAsync(context, 400, refusal);
            return;
        }

        var result = parsed.Status == AssignmentRecord.Completed && parsed.Data is not null ? JsonSerializer.SerializeToElement(parsed.Data) : (JsonElement?)null;
        var outcome = ledger.Update(id.Value, validator, parsed.Status, result, time.GetUtcNow());
        switch (outcome.Result)
        {
            case UpdateResult.NotFound:
                await FastApiErrors.DetailAsync(context, 404, "Validation assignment not found");
                break;
            case UpdateResult.NotValidating:
                await FastApiErrors.DetailAsync(context, 400, NotValidating);
                break;
            default:
                await context.Response.WriteAsJsonAsync(AssignmentJson.Updated(outcome.Assignment!), context.RequestAborted);
                break;
        }
    }
}
