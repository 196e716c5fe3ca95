using System.Text.Json.Nodes;
using Flock.FlockApi.Tests.Support;

namespace Flock.FlockApi.Tests;

/// <summary>POST /tasks/submit-result as the quickstart and the RL example post it, and every way it is refused.</summary>
public sealed class SubmissionTests : IAsyncLifetime
{
    private readonly ApiWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    private RealClients Clients => _world.Clients;

    [Fact]
    public async Task The_quickstarts_submission_is_accepted_and_recorded_under_the_keys_holder()
    {
        var answer = await _world.SubmitGoodTrainingAsync(revision: "9f8e7d6c");

        Assert.Equal(200, answer.Status);
        _ = answer.Json; // the quickstart returns response.json(): the body must be JSON
        var record = Assert.Single(_world.Api.Submissions);
        Assert.Equal((ApiWorld.TrainingTask, "trainer"), (record.TaskId, record.Submitter));
        Assert.Equal("9f8e7d6c", record.Data.GetProperty("revision").GetString());
        Assert.Equal("qwen1.5", record.Data.GetProperty("base_model").GetString());
        Assert.Equal("NVIDIA A100-SXM4-80GB", record.Data.GetProperty("gpu_type").GetString());
    }

    [Fact]
    public async Task The_akash_branch_body_without_a_revision_is_refused()
    {
        var answer = await Clients.SubmitTrainingAkashBranchAsync(ApiWorld.TrainerKey, "12", "trainer/task-12", "qwen1.5", _world.Ct);

        Assert.Equal(400, answer.Status);
        Assert.Equal("Missing required field data.revision", answer.Detail);
        Assert.Empty(_world.Api.Submissions);
    }

    [Theory]
    [InlineData("Qwen/Qwen1.5-1.8B")] // a Hugging Face id where the template name belongs
    [InlineData("qwen2.5")]
    public async Task A_training_base_model_that_is_not_a_validator_template_is_refused(string baseModel)
    {
        var answer = await Clients.SubmitTrainingAsync(ApiWorld.TrainerKey, "12", "trainer/task-12", baseModel, "H100", "abc", _world.Ct);

        Assert.Equal(400, answer.Status);
        Assert.Equal($"Unsupported base_model '{baseModel}'", answer.Detail);
        Assert.Empty(_world.Api.Submissions);
    }

    [Fact]
    public async Task A_reinforcement_learning_task_takes_the_rl_examples_body_and_refuses_a_training_body()
    {
        var rl = await Clients.SubmitReinforcementLearningAsync(ApiWorld.TrainerKey, "20", "trainer/rl-trade", "model.onnx", "c0ffee", _world.Ct);
        var training = await Clients.SubmitTrainingAsync(ApiWorld.TrainerKey, "20", "trainer/task-20", "qwen1.5", "H100", "abc", _world.Ct);
        var rlOnTraining = await Clients.SubmitReinforcementLearningAsync(ApiWorld.TrainerKey, "12", "trainer/rl-trade", "model.onnx", "c0ffee", _world.Ct);

        Assert.Equal(200, rl.Status);
        Assert.Equal((400, "Missing required field data.model_filename"), (training.Status, training.Detail));
        Assert.Equal((400, "Missing required field data.base_model"), (rlOnTraining.Status, rlOnTraining.Detail));
        Assert.Equal("model.onnx", Assert.Single(_world.Api.Submissions).Data.GetProperty("model_filename").GetString());
    }

    [Fact]
    public async Task An_llm_evaluation_task_takes_a_hugging_face_base_model()
    {
        var answer = await Clients.SubmitTrainingAsync(ApiWorld.TrainerKey, "30", "trainer/judge-lora", "Qwen/Qwen3.5-9B", "H100", "abc", _world.Ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal(ApiWorld.LlmTask, Assert.Single(_world.Api.Submissions).TaskId);
    }

    [Fact]
    public async Task Submissions_close_when_the_submission_phase_ends_on_the_clock()
    {
        var closed = await Clients.SubmitTrainingAsync(ApiWorld.TrainerKey, "13", "trainer/task-13", "qwen1.5", "H100", "abc", _world.Ct);
        _world.Clock.Advance(TimeSpan.FromDays(1));
        var late = await _world.SubmitGoodTrainingAsync();

        Assert.Equal((400, "Task is not in submission phase"), (closed.Status, closed.Detail));
        Assert.Equal((400, "Task is not in submission phase"), (late.Status, late.Detail));
        Assert.Empty(_world.Api.Submissions);
    }

    [Fact]
    public async Task An_unknown_task_is_not_found()
    {
        var answer = await Clients.SubmitTrainingAsync(ApiWorld.TrainerKey, "404", "trainer/x", "qwen1.5", "H100", "abc", _world.Ct);

        Assert.Equal(404, answer.Status);
        Assert.True(answer.IsDetail("Task not found"), answer.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-an-issued-key")]
    public async Task A_missing_or_unknown_key_is_401_with_a_detail_and_records_nothing(string? key)
    {
        var body = new JsonObject
        {
            ["task_id"] = 12,
            ["data"] = new JsonObject { ["hg_repo_id"] = "a/b", ["base_model"] = "qwen1.5", ["gpu_type"] = "H100", ["revision"] = "abc" },
        };

        var answer = await Clients.SendAsync(HttpMethod.Post, "/tasks/submit-result", key, body.ToJsonString(), _world.Ct);

        Assert.Equal(401, answer.Status);
        Assert.True(answer.IsDetail("Invalid API key"), answer.ToString());
        Assert.Empty(_world.Api.Submissions);
    }

    [Fact]
    public async Task An_empty_object_is_a_fastapi_422_naming_both_missing_fields()
    {
        var answer = await Clients.SendAsync(HttpMethod.Post, "/tasks/submit-result", ApiWorld.TrainerKey, "{}", _world.Ct);

        Assert.Equal(422, answer.Status);
        var errors = answer.Json["detail"]!.AsArray();
        Assert.Equal(["body.task_id", "body.data"], errors.Select(e => string.Join('.', e!["loc"]!.AsArray().Select(p => (string?)p))));
        Assert.All(errors, e => Assert.Equal("value_error.missing", (string?)e!["type"]));
        Assert.Empty(_world.Api.Submissions);
    }

    [Theory]
    [InlineData("{\"task_id\": \"twelve\", \"data\": {}}", "body.task_id", "type_error.integer")]
    [InlineData("{\"task_id\": 12, \"data\": \"hg\"}", "body.data", "type_error.dict")]
    [InlineData("{\"task_id\": 12,", "body.0", "value_error.jsondecode")]
    public async Task A_body_of_the_wrong_shape_is_a_fastapi_422(string body, string loc, string type)
    {
        var answer = await Clients.SendAsync(HttpMethod.Post, "/tasks/submit-result", ApiWorld.TrainerKey, body, _world.Ct);

        Assert.Equal(422, answer.Status);
        var error = Assert.Single(answer.Json["detail"]!.AsArray());
        Assert.Equal(loc, string.Join('.', error!["loc"]!.AsArray().Select(p => p!.ToString())));
        Assert.Equal(type, (string?)error["type"]);
    }
}
