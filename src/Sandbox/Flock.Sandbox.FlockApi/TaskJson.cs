using System.Globalization;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// A task as GET /tasks/get and GET /tasks/list serve it. The quickstart reads data.training_set_url,
/// data.context_length and data.max_params (full_automation.py); FLock-validator reads id and task_type of every
/// listed task (validator/validation_runner.py _setup_modules).
/// </summary>
internal static class TaskJson
{
    public static JsonObject Of(SimulatedTask task, DateTimeOffset now, bool wrongTypes = false) => new()
    {
        ["id"] = wrongTypes ? JsonValue.Create(task.Id.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(task.Id),
        ["title"] = task.Title,
        ["description"] = task.Description,
        ["task_type"] = task.TaskType,
        ["status"] = task.StatusAt(now),
        ["duration_in_seconds"] = (long)(task.SubmissionPhaseEndsAt - task.InitializedAt).TotalSeconds,
        ["initialized_at"] = Iso(task.InitializedAt),
        ["submission_phase_ends_at"] = Iso(task.SubmissionPhaseEndsAt),
        ["final_validation_ends_at"] = Iso(task.FinalValidationEndsAt),
        ["final_link"] = null,
        ["data"] = new JsonObject
        {
            ["training_set_url"] = $"https://datasets.invalid/task-{task.Id}/training_set.jsonl?X-Amz-Expires=3600",
            ["max_params"] = wrongTypes ? JsonValue.Create("seven billion") : JsonValue.Create(task.MaxParams),
            ["context_length"] = task.ContextLength,
        },
    };

    // FastAPI serialises naive UTC datetimes without an offset.
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
}
