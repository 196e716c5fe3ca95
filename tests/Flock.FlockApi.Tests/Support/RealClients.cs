using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Flock.FlockApi.Tests.Support;

/// <summary>
/// The calls FLock's public clients make, request for request (path, method, headers, body), each citing its source:
/// FLock-io/testnet-training-node-quickstart (main 37bb1c2, akash 5510822) utils/flock_api.py,
/// FLock-io/FLock-validator (main ef8368e) validator/api.py and validator/modules/rl/train_example.py,
/// FLock-io/llm-loss-validator (v1.1.2, 7b6f484) src/client/fed_ledger.py.
/// </summary>
public sealed class RealClients(HttpClient http, string baseUrl)
{
    private const string KeyHeader = "flock-api-key";

    /// <summary>quickstart main get_task: GET /tasks/get?task_id=, no key.</summary>
    public Task<Answer> GetTaskAsync(long taskId, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, $"/tasks/get?task_id={taskId.ToString(CultureInfo.InvariantCulture)}", key: null, body: null, ct);

    /// <summary>
    /// quickstart main submit_task: {"task_id", "data": {hg_repo_id, base_model, gpu_type, revision}} as json.dumps text
    /// with Content-Type application/json. task_id is a string there (os.environ["TASK_ID"], full_automation.py).
    /// </summary>
    public Task<Answer> SubmitTrainingAsync(string key, string taskId, string hgRepoId, string baseModel, string gpuType, string revision, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/tasks/submit-result", key, new JsonObject
        {
            ["task_id"] = taskId,
            ["data"] = new JsonObject { ["hg_repo_id"] = hgRepoId, ["base_model"] = baseModel, ["gpu_type"] = gpuType, ["revision"] = revision },
        }.ToJsonString(), ct);

    /// <summary>quickstart `akash` branch submit_task: only hg_repo_id and base_model.</summary>
    public Task<Answer> SubmitTrainingAkashBranchAsync(string key, string taskId, string hgRepoId, string baseModel, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/tasks/submit-result", key, new JsonObject
        {
            ["task_id"] = taskId,
            ["data"] = new JsonObject { ["hg_repo_id"] = hgRepoId, ["base_model"] = baseModel },
        }.ToJsonString(), ct);

    /// <summary>FLock-validator modules/rl/train_example.py submit_task: {hg_repo_id, model_filename, revision}.</summary>
    public Task<Answer> SubmitReinforcementLearningAsync(string key, string taskId, string hgRepoId, string modelFilename, string revision, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, "/tasks/submit-result", key, new JsonObject
        {
            ["task_id"] = taskId,
            ["data"] = new JsonObject { ["hg_repo_id"] = hgRepoId, ["model_filename"] = modelFilename, ["revision"] = revision },
        }.ToJsonString(), ct);

    /// <summary>FLock-validator FedLedger.list_tasks: GET /tasks/list with the key.</summary>
    public Task<Answer> ListTasksAsync(string key, CancellationToken ct) => SendAsync(HttpMethod.Get, "/tasks/list", key, body: null, ct);

    /// <summary>Both validators: POST /tasks/request-validation-assignment/{task_id}, no body (task_id from the CLI, a string).</summary>
    public Task<Answer> RequestAssignmentAsync(string key, string taskId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/tasks/request-validation-assignment/{taskId}", key, body: null, ct);

    /// <summary>llm-loss-validator submit_validation_result: {"status": "completed", "data": {"loss", "gpu_type"}}.</summary>
    public Task<Answer> SubmitLossAsync(string key, string assignmentId, double loss, string gpuType, CancellationToken ct) =>
        SubmitValidationAsync(key, assignmentId, new JsonObject { ["loss"] = loss, ["gpu_type"] = gpuType }, ct);

    /// <summary>FLock-validator submit_validation_result: {"status": "completed", "data": metrics.model_dump()}.</summary>
    public Task<Answer> SubmitValidationAsync(string key, string assignmentId, JsonObject metrics, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/tasks/update-validation-assignment/{assignmentId}", key,
            new JsonObject { ["status"] = "completed", ["data"] = metrics }.ToJsonString(), ct);

    /// <summary>Both validators' mark_assignment_as_failed: {"status": "failed"}.</summary>
    public Task<Answer> MarkFailedAsync(string key, string assignmentId, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, $"/tasks/update-validation-assignment/{assignmentId}", key, new JsonObject { ["status"] = "failed" }.ToJsonString(), ct);

    /// <summary>Any request, for the failure shapes the clients do not make on purpose.</summary>
    public async Task<Answer> SendAsync(HttpMethod method, string path, string? key, string? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, baseUrl + path);
        if (key is not null) request.Headers.TryAddWithoutValidation(KeyHeader, key);
        // requests sends Content-Type: application/json from the clients' headers dict even without a body.
        request.Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json");
        return await Answer.ReadAsync(await http.SendAsync(request, ct), ct);
    }
}
