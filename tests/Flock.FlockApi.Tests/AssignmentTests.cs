using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.FlockApi.Tests.Support;
using Flock.Sandbox.FlockApi;

namespace Flock.FlockApi.Tests;

/// <summary>
/// POST /tasks/request-validation-assignment/{task_id}: the hand-out the validators read, the two refusals they compare
/// whole bodies against, and the 1-per-3-minutes limit they sleep on.
/// </summary>
public sealed class AssignmentTests : IAsyncLifetime
{
    private const string RateLimited = "Rate limit reached for validation assignment lookup: 1 per 3 minutes";
    private const string NoSubmissions = "No task submissions available to validate";

    private readonly ApiWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    private RealClients Clients => _world.Clients;

    [Fact]
    public async Task With_nothing_submitted_the_answer_is_the_exact_no_submissions_body()
    {
        var answer = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);

        Assert.NotEqual(200, answer.Status);
        Assert.True(answer.IsDetail(NoSubmissions), answer.ToString());
        Assert.Empty(_world.Api.Assignments);
    }

    [Fact]
    public async Task A_training_submission_is_handed_out_with_everything_the_loss_validator_reads()
    {
        await _world.SubmitGoodTrainingAsync(revision: "5eed");

        var answer = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);

        Assert.Equal(200, answer.Status);
        var json = answer.Json;
        // llm-loss-validator v1.1.2 src/validate.py loop, field for field.
        Assert.Equal(JsonValueKind.Number, json["id"]!.GetValueKind());
        Assert.StartsWith("https://", (string?)json["data"]!["validation_set_url"]);
        Assert.Equal("qwen1.5", (string?)json["data"]!["base_model"]);
        Assert.Equal(2048, (int)json["data"]!["context_length"]!);
        Assert.Equal(7_000_000_000L, (long)json["data"]!["max_params"]!);
        Assert.Equal("trainer/task-12-Qwen-Qwen1.5-1.8B", (string?)json["task_submission"]!["data"]!["hg_repo_id"]);
        Assert.Equal("5eed", (string?)json["task_submission"]!["data"]!["revision"]);
        var record = Assert.Single(_world.Api.Assignments);
        Assert.Equal(((long)json["id"]!, "validator", AssignmentRecord.Validating, 1L), (record.Id, record.Validator, record.Status, record.SubmissionId));
    }

    [Theory]
    [InlineData(ApiWorld.RlTask, new[] { "hg_repo_id", "model_filename", "revision", "validation_set_url", "max_params" })]
    [InlineData(ApiWorld.LlmTask, new[] { "hg_repo_id", "revision", "context_length", "max_params", "validation_set_url", "base_model", "eval_args" })]
    public async Task FLock_validators_merge_of_submission_and_assignment_data_has_its_modules_input_fields(long taskId, string[] inputFields)
    {
        var submitted = taskId == ApiWorld.RlTask
            ? await Clients.SubmitReinforcementLearningAsync(ApiWorld.TrainerKey, "20", "trainer/rl", "model.onnx", "abc", _world.Ct)
            : await Clients.SubmitTrainingAsync(ApiWorld.TrainerKey, "30", "trainer/judge", "Qwen/Qwen3.5-9B", "H100", "abc", _world.Ct);
        Assert.Equal(200, submitted.Status);

        var answer = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), _world.Ct);

        // validator/validation_runner.py: {**resp.json()["task_submission"]["data"], **resp.json()["data"]}, then the
        // module's input model (RLInputData, LLMJudgeInputData) validates it.
        var merged = new Dictionary<string, JsonNode?>();
        foreach (var (name, value) in answer.Json["task_submission"]!["data"]!.AsObject()) merged[name] = value;
        foreach (var (name, value) in answer.Json["data"]!.AsObject()) merged[name] = value;
        Assert.All(inputFields, f => Assert.True(merged.TryGetValue(f, out var v) && v is not null, $"{f} missing from {answer.Text}"));
        if (taskId == ApiWorld.LlmTask) Assert.Equal(JsonValueKind.Object, merged["eval_args"]!.GetValueKind());
    }

    [Fact]
    public async Task A_second_lookup_within_three_minutes_gets_the_exact_rate_limit_body_and_one_after_is_answered()
    {
        var first = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        _world.Clock.Advance(TimeSpan.FromMinutes(3) - TimeSpan.FromSeconds(1));
        var early = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        _world.Clock.Advance(TimeSpan.FromSeconds(1));
        var onTime = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);

        Assert.True(first.IsDetail(NoSubmissions), first.ToString());
        Assert.Equal(429, early.Status);
        Assert.True(early.IsDetail(RateLimited), early.ToString());
        Assert.True(onTime.IsDetail(NoSubmissions), onTime.ToString());
    }

    [Fact]
    public async Task A_refused_lookup_does_not_push_the_window_back()
    {
        await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        _world.Clock.Advance(TimeSpan.FromMinutes(2));
        var refused = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        _world.Clock.Advance(TimeSpan.FromMinutes(1));
        var answered = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);

        Assert.True(refused.IsDetail(RateLimited), refused.ToString());
        Assert.True(answered.IsDetail(NoSubmissions), answered.ToString());
    }

    [Fact]
    public async Task The_limit_is_per_key_across_tasks()
    {
        await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        var sameKeyOtherTask = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "20", _world.Ct);
        var otherKey = await Clients.RequestAssignmentAsync(ApiWorld.OtherValidatorKey, "12", _world.Ct);

        Assert.True(sameKeyOtherTask.IsDetail(RateLimited), sameKeyOtherTask.ToString());
        Assert.True(otherKey.IsDetail(NoSubmissions), otherKey.ToString());
    }

    [Fact]
    public async Task A_submission_goes_to_each_validator_once_and_never_to_its_submitter()
    {
        await _world.SubmitGoodTrainingAsync();

        var own = await Clients.RequestAssignmentAsync(ApiWorld.TrainerKey, "12", _world.Ct);
        var first = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        _world.WaitOutLookupLimit();
        var again = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);
        var other = await Clients.RequestAssignmentAsync(ApiWorld.OtherValidatorKey, "12", _world.Ct);

        Assert.True(own.IsDetail(NoSubmissions), own.ToString());
        Assert.Equal(200, first.Status);
        Assert.True(again.IsDetail(NoSubmissions), again.ToString());
        Assert.Equal(200, other.Status);
        Assert.Equal(["validator", "other-validator"], _world.Api.Assignments.Select(a => a.Validator));
    }

    [Fact]
    public async Task Without_a_key_the_lookup_is_401_and_does_not_use_the_keys_window()
    {
        var anonymous = await Clients.RequestAssignmentAsync("not-an-issued-key", "12", _world.Ct);
        var keyed = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "12", _world.Ct);

        Assert.Equal(401, anonymous.Status);
        Assert.True(anonymous.IsDetail("Invalid API key"), anonymous.ToString());
        Assert.True(keyed.IsDetail(NoSubmissions), keyed.ToString());
    }

    [Fact]
    public async Task An_unknown_task_is_not_found_and_a_non_integer_id_is_a_fastapi_422()
    {
        var unknown = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, "404", _world.Ct);
        var text = await Clients.RequestAssignmentAsync(ApiWorld.OtherValidatorKey, "twelve", _world.Ct);

        Assert.Equal(404, unknown.Status);
        Assert.True(unknown.IsDetail("Task not found"), unknown.ToString());
        Assert.Equal(422, text.Status);
        Assert.Equal("path.task_id", string.Join('.', text.Json["detail"]![0]!["loc"]!.AsArray().Select(p => (string?)p)));
    }
}
