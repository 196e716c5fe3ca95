using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.FlockApi.Tests.Support;
using Flock.Sandbox.FlockApi;

namespace Flock.FlockApi.Tests;

/// <summary>GET /tasks/list and task_type: what FLock-validator reads at start (validator/validation_runner.py _setup_modules).</summary>
public sealed class TaskListTests : IAsyncLifetime
{
    private readonly ApiWorld _world = new();

    public Task InitializeAsync() => _world.InitializeAsync();

    public Task DisposeAsync() => _world.DisposeAsync();

    [Fact]
    public async Task The_validators_start_up_call_lists_every_task_with_an_integer_id_and_its_type()
    {
        var answer = await _world.Clients.ListTasksAsync(ApiWorld.ValidatorKey, _world.Ct);

        Assert.Equal(200, answer.Status);
        var tasks = answer.Json.AsArray();
        Assert.All(tasks, t => Assert.Equal(JsonValueKind.Number, t!["id"]!.GetValueKind()));
        var types = tasks.ToDictionary(t => t!["id"]!.GetValue<long>(), t => t!["task_type"]!.GetValue<string>());
        Assert.Equal(new Dictionary<long, string>
        {
            [ApiWorld.TrainingTask] = "training",
            [ApiWorld.ClosedTask] = "training",
            [ApiWorld.RlTask] = "reinforcement_learning",
            [ApiWorld.LlmTask] = "llm_evaluation",
        }, types);
    }

    [Fact]
    public async Task A_single_task_read_carries_the_type_it_was_given()
    {
        var rl = await _world.Clients.GetTaskAsync(ApiWorld.RlTask, _world.Ct);
        var training = await _world.Clients.GetTaskAsync(ApiWorld.TrainingTask, _world.Ct);

        Assert.Equal("reinforcement_learning", (string?)rl.Json["task_type"]);
        Assert.Equal("training", (string?)training.Json["task_type"]);
    }

    [Fact]
    public void A_task_type_the_real_api_does_not_have_is_refused_when_the_task_is_added()
    {
        var task = SimulatedTask.Open(99, _world.Clock.GetUtcNow(), TimeSpan.FromDays(1), TimeSpan.FromDays(1), "vision");

        var error = Assert.Throws<ArgumentException>(() => _world.Api.AddTask(task));

        Assert.Contains("vision", error.Message, StringComparison.Ordinal);
        Assert.Null(_world.Api.Task(99));
    }
}
