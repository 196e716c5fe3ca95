using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// POST /tasks/submit-result with the flock-api-key header and {"task_id", "data"} (testnet-training-node-quickstart
/// utils/flock_api.py submit_task; RL: FLock-validator validator/modules/rl/train_example.py submit_task). The clients
/// raise on anything but 200 and print response.text, so every refusal is a JSON detail. Checks in FastAPI's order:
/// an undecodable body (422) before the key (401), the body's fields (422) after it, then the task (404) and the
/// task type's rules (400, <see cref="SubmissionRules"/>).
/// </summary>
internal sealed class SubmissionEndpoint(TaskBoard tasks, ApiKeys keys, Ledger ledger, TimeProvider time)
{
    public async Task SubmitAsync(HttpContext context)
    {
        var (body, decodeError) = await RequestBodies.ReadAsync(context);
        if (decodeError is { Type: "value_error.jsondecode" })
        {
            await FastApiErrors.InvalidAsync(context, [decodeError]);
            return;
        }

        if (keys.HolderOf(context) is not { } submitter)
        {
            await FastApiErrors.DetailAsync(context, 401, ApiKeys.InvalidKeyDetail);
            return;
        }

        SubmitBody? parsed = null;
        List<FieldError> errors = decodeError is not null ? [decodeError] : RequestBodies.Submit(body, out parsed);
        if (errors.Count > 0 || parsed is null)
        {
            await FastApiErrors.InvalidAsync(context, errors);
            return;
        }

        if (tasks.Get(parsed.TaskId) is not { } task)
        {
            await FastApiErrors.DetailAsync(context, 404, "Task not found");
            return;
        }

        var now = time.GetUtcNow();
        if (SubmissionRules.Refusal(task, parsed.Data, now) is { } refusal)
        {
            await FastApiErrors.DetailAsync(context, 400, refusal);
            return;
        }

        var record = ledger.Submit(task.Id, submitter, JsonSerializer.SerializeToElement(parsed.Data), now);
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["id"] = record.Id,
            ["task_id"] = record.TaskId,
            ["data"] = parsed.Data.DeepClone(),
        }, context.RequestAborted);
    }
}
