using System.Text.Json.Nodes;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// A validation assignment as POST /tasks/request-validation-assignment/{task_id} hands it out. What the validators
/// read, and so what must be there:
/// <list type="bullet">
/// <item>id — the assignment id they post back to update-validation-assignment/{id} (both validators).</item>
/// <item>data.validation_set_url, data.base_model, data.context_length, data.max_params — llm-loss-validator v1.1.2
/// src/validate.py loop (base_model is the template name, read from the assignment, not the submission).</item>
/// <item>task_submission.data.hg_repo_id and .revision — the same loop; FLock-validator merges task_submission.data
/// with data and validates the merge against its module's input model (validator/validation_runner.py run):
/// reinforcement_learning needs validation_set_url and max_params, llm_evaluation also eval_args (a dict).</item>
/// </list>
/// task_id, status and task_submission.id/task_id are not read by any public client; they are the simulator's.
/// </summary>
internal static class AssignmentJson
{
    public static JsonObject Of(AssignmentRecord assignment, SubmissionRecord submission, SimulatedTask task)
    {
        var submitted = JsonNode.Parse(submission.Data.GetRawText())!.AsObject();
        var data = new JsonObject
        {
            ["validation_set_url"] = $"https://datasets.invalid/task-{task.Id}/validation_set.jsonl?X-Amz-Expires=3600",
            ["max_params"] = task.MaxParams,
        };
        if (task.TaskType != TaskTypes.ReinforcementLearning)
        {
            data["base_model"] = submitted["base_model"]?.DeepClone();
            data["context_length"] = task.ContextLength;
        }

        if (task.TaskType == TaskTypes.LlmEvaluation) data["eval_args"] = new JsonObject();
        return new JsonObject
        {
            ["id"] = assignment.Id,
            ["task_id"] = assignment.TaskId,
            ["status"] = assignment.Status,
            ["data"] = data,
            ["task_submission"] = new JsonObject { ["id"] = submission.Id, ["task_id"] = submission.TaskId, ["data"] = submitted },
        };
    }

    /// <summary>The answer to an update: the assignment's id, task and new status (the clients only check for 200).</summary>
    public static JsonObject Updated(AssignmentRecord assignment) => new()
    {
        ["id"] = assignment.Id,
        ["task_id"] = assignment.TaskId,
        ["status"] = assignment.Status,
    };
}
