using System.Text.Json.Nodes;
using Flock.FlockApi.Tests.Support;
using Flock.Sandbox.FlockApi;

namespace Flock.FlockApi.Tests;

/// <summary>POST /tasks/update-validation-assignment/{id} as both validators post results and failures.</summary>
public sealed class UpdateAssignmentTests : IAsyncLifetime
{
    private const string NotValidating = "Validation assignment is not in validating status";

    private readonly ApiWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    private RealClients Clients => _world.Clients;

    /// <summary>A submission by the trainer on the task, handed to the validator; its assignment id as the path takes it.</summary>
    private async Task<string> AssignedAsync(long taskId = ApiWorld.TrainingTask)
    {
        var submitted = taskId == ApiWorld.RlTask
            ? await Clients.SubmitReinforcementLearningAsync(ApiWorld.TrainerKey, "20", "trainer/rl", "model.onnx", "abc", _world.Ct)
            : await _world.SubmitGoodTrainingAsync();
        Assert.Equal(200, submitted.Status);
        var assignment = await Clients.RequestAssignmentAsync(ApiWorld.ValidatorKey, taskId.ToString(System.Globalization.CultureInfo.InvariantCulture), _world.Ct);
        Assert.Equal(200, assignment.Status);
        return assignment.Json["id"]!.ToJsonString();
    }

    [Fact]
    public async Task The_loss_validators_result_completes_the_assignment_and_is_recorded()
    {
        var id = await AssignedAsync();

        var answer = await Clients.SubmitLossAsync(ApiWorld.ValidatorKey, id, 0.4213, "NVIDIA H100 80GB HBM3", _world.Ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal("completed", (string?)answer.Json["status"]);
        var record = Assert.Single(_world.Api.Assignments);
        Assert.Equal(AssignmentRecord.Completed, record.Status);
        Assert.Equal(0.4213, record.Result!.Value.GetProperty("loss").GetDouble());
        Assert.Equal("NVIDIA H100 80GB HBM3", record.Result!.Value.GetProperty("gpu_type").GetString());
    }

    [Fact]
    public async Task FLock_validators_lora_metrics_complete_a_training_assignment()
    {
        var id = await AssignedAsync();
        var metrics = new JsonObject { ["loss"] = 1.23, ["bpc"] = 0.98, ["bppl"] = 1.11, ["nll_token_nats_total"] = 2.22, ["nll_token_bits_total"] = 3.33 };

        var answer = await Clients.SubmitValidationAsync(ApiWorld.ValidatorKey, id, metrics, _world.Ct);

        Assert.Equal(200, answer.Status);
        Assert.Equal(0.98, Assert.Single(_world.Api.Assignments).Result!.Value.GetProperty("bpc").GetDouble());
    }

    [Fact]
    public async Task A_reinforcement_learning_result_needs_its_average_reward()
    {
        var id = await AssignedAsync(ApiWorld.RlTask);

        var loss = await Clients.SubmitLossAsync(ApiWorld.ValidatorKey, id, 0.5, "H100", _world.Ct);
        var stillOpen = Assert.Single(_world.Api.Assignments).Status;
        var reward = await Clients.SubmitValidationAsync(ApiWorld.ValidatorKey, id, new JsonObject { ["average_reward"] = 12.5 }, _world.Ct);

        Assert.Equal((400, "Missing required field data.average_reward"), (loss.Status, loss.Detail));
        Assert.Equal(AssignmentRecord.Validating, stillOpen);
        Assert.Equal(200, reward.Status);
        Assert.Equal(AssignmentRecord.Completed, Assert.Single(_world.Api.Assignments).Status);
    }

    [Fact]
    public async Task An_answered_assignment_refuses_more_answers_with_the_exact_not_validating_body()
    {
        var id = await AssignedAsync();
        await Clients.SubmitLossAsync(ApiWorld.ValidatorKey, id, 0.4, "H100", _world.Ct);

        var again = await Clients.SubmitLossAsync(ApiWorld.ValidatorKey, id, 0.3, "H100", _world.Ct);
        // llm-loss-validator answers that refusal by marking the assignment failed; that is refused the same way.
        var markFailed = await Clients.MarkFailedAsync(ApiWorld.ValidatorKey, id, _world.Ct);

        Assert.NotEqual(200, again.Status);
        Assert.True(again.IsDetail(NotValidating), again.ToString());
        Assert.True(markFailed.IsDetail(NotValidating), markFailed.ToString());
        var record = Assert.Single(_world.Api.Assignments);
        Assert.Equal((AssignmentRecord.Completed, 0.4), (record.Status, record.Result!.Value.GetProperty("loss").GetDouble()));
    }

    [Fact]
    public async Task Marking_an_assignment_failed_records_it_without_a_result()
    {
        var id = await AssignedAsync();

        var answer = await Clients.MarkFailedAsync(ApiWorld.ValidatorKey, id, _world.Ct);

        Assert.Equal(200, answer.Status);
        var record = Assert.Single(_world.Api.Assignments);
        Assert.Equal((AssignmentRecord.Failed, (System.Text.Json.JsonElement?)null), (record.Status, record.Result));
    }

    [Fact]
    public async Task A_completed_training_result_without_a_loss_is_refused_and_the_assignment_stays_open()
    {
        var id = await AssignedAsync();

        var answer = await Clients.SubmitValidationAsync(ApiWorld.ValidatorKey, id, new JsonObject { ["gpu_type"] = "H100" }, _world.Ct);

        Assert.Equal((400, "Missing required field data.loss"), (answer.Status, answer.Detail));
        Assert.Equal(AssignmentRecord.Validating, Assert.Single(_world.Api.Assignments).Status);
    }

    [Fact]
    public async Task An_unknown_or_someone_elses_assignment_is_a_json_404_and_stays_untouched()
    {
        var id = await AssignedAsync();

        var unknown = await Clients.SubmitLossAsync(ApiWorld.ValidatorKey, "999", 0.4, "H100", _world.Ct);
        var foreign = await Clients.SubmitLossAsync(ApiWorld.OtherValidatorKey, id, 0.4, "H100", _world.Ct);

        Assert.Equal(404, unknown.Status);
        Assert.True(unknown.IsDetail("Validation assignment not found"), unknown.ToString());
        Assert.Equal(404, foreign.Status);
        Assert.Equal(AssignmentRecord.Validating, Assert.Single(_world.Api.Assignments).Status);
    }

    [Theory]
    [InlineData("1", "{}", "body.status", "value_error.missing")]
    [InlineData("one", "{\"status\": \"failed\"}", "path.assignment_id", "type_error.integer")]
    public async Task A_malformed_update_is_a_fastapi_422(string id, string body, string loc, string type)
    {
        var answer = await Clients.SendAsync(HttpMethod.Post, $"/tasks/update-validation-assignment/{id}", ApiWorld.ValidatorKey, body, _world.Ct);

        Assert.Equal(422, answer.Status);
        var error = Assert.Single(answer.Json["detail"]!.AsArray());
        Assert.Equal((loc, type), (string.Join('.', error!["loc"]!.AsArray().Select(p => (string?)p)), (string?)error["type"]));
    }

    [Fact]
    public async Task Without_a_key_an_update_is_401_and_changes_nothing()
    {
        var id = await AssignedAsync();

        var answer = await Clients.MarkFailedAsync("not-an-issued-key", id, _world.Ct);

        Assert.Equal(401, answer.Status);
        Assert.True(answer.IsDetail("Invalid API key"), answer.ToString());
        Assert.Equal(AssignmentRecord.Validating, Assert.Single(_world.Api.Assignments).Status);
    }
}
