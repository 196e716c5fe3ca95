using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// What a submission's data must carry for its task type, so that the validators can judge it. The real API's own
/// checks are not public; these follow what the validators read, and where they read a field unconditionally the
/// simulator refuses a submission without it (as harsh as the worst case, so a worker that would be rejected or never
/// judged is caught here):
/// <list type="bullet">
/// <item>training: hg_repo_id, base_model, revision (FLock-validator validator/modules/lora LoRAInputData; the quickstart
/// posts them with gpu_type, utils/flock_api.py submit_task). base_model must be a template name the loss validator
/// knows (<see cref="BaseModelTemplates"/>).</item>
/// <item>llm_evaluation: hg_repo_id, base_model, revision (modules/llm_judge LLMJudgeInputData).</item>
/// <item>reinforcement_learning: hg_repo_id, model_filename, revision (modules/rl RLInputData; the RL example posts
/// exactly these, modules/rl/train_example.py submit_task).</item>
/// </list>
/// revision is required for every type: FLock-validator's input models require it. (llm-loss-validator still reads it
/// with .get("revision", "main"), a sign that submissions without one were accepted before revision was added to the
/// quickstart; the `akash` branch of the quickstart still posts only hg_repo_id and base_model.)
/// The detail texts are ours; the status is 400, FastAPI's usual HTTPException code.
/// </summary>
internal static class SubmissionRules
{
    public const string NotInSubmissionPhase = "Task is not in submission phase";

    public static string? Refusal(SimulatedTask task, JsonObject data, DateTimeOffset now)
    {
        if (task.StatusAt(now) != SimulatedTask.SubmissionPhase) return NotInSubmissionPhase;
        foreach (var field in RequiredFields(task.TaskType))
        {
            if (Text(data, field) is null) return $"Missing required field data.{field}";
        }

        if (task.TaskType == TaskTypes.Training && !BaseModelTemplates.Known.Contains(Text(data, "base_model")!))
        {
            return $"Unsupported base_model '{Text(data, "base_model")}'";
        }

        return null;
    }

    /// <summary>
    /// What a completed validation's data must carry: the metric the task's validator reports (llm-loss-validator
    /// src/client/fed_ledger.py {"loss", "gpu_type"}; FLock-validator LoRAMetrics loss…, RLMetrics average_reward,
    /// LLMJudgeMetrics score). Texts ours.
    /// </summary>
    public static string? ResultRefusal(string taskType, JsonObject? data)
    {
        var metric = taskType switch
        {
            TaskTypes.ReinforcementLearning => "average_reward",
            TaskTypes.LlmEvaluation => "score",
            _ => "loss",
        };
        if (data is null) return "A completed validation needs data";
        return data[metric] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? null : $"Missing required field data.{metric}";
    }

    private static string[] RequiredFields(string taskType) => taskType switch
    {
        TaskTypes.ReinforcementLearning => ["hg_repo_id", "model_filename", "revision"],
        _ => ["hg_repo_id", "base_model", "revision"],
    };

    private static string? Text(JsonObject data, string field) =>
        data[field] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
