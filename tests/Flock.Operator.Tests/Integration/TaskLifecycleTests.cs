using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>The resource's status follows its FLock task, and the worker stops when the task closes.</summary>
public sealed class TaskLifecycleTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public TaskLifecycleTests(Sandbox sandbox) => _sandbox = sandbox;

    private async Task<string> NamespaceWithSecretsAsync()
    {
        await _sandbox.InstallCrdsAsync();
        var ns = "task-" + Guid.NewGuid().ToString("N")[..8];
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);
        return ns;
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name, long taskId)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        node.Spec = node.Spec with { TaskId = taskId };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private async Task<V1Deployment?> DeploymentAsync(string ns, string name) =>
        (await _sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(ns)).Items.SingleOrDefault(d => d.Metadata.Name == name + "-trainer");

    private static Condition? Condition(FlockTrainingNode node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    [Fact]
    public async Task Status_shows_the_task_and_the_worker_stops_when_the_submission_phase_ends()
    {
        var ns = await NamespaceWithSecretsAsync();
        var taskId = Random.Shared.NextInt64(1000, 1_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(4), TimeSpan.FromHours(1)));
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "t1", taskId);

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "t1"), "TaskOpen")?.Reason == "SubmissionPhase", "task open");
        var open = await GetAsync(ns, "t1");
        await Eventually.TrueAsync(async () => (await GetAsync(ns, "t1")).Status?.Phase == Phase.TaskClosed, "task closed");
        await Eventually.TrueAsync(async () => (await DeploymentAsync(ns, "t1"))?.Spec.Replicas == 0, "worker scaled to zero");
        var closed = await GetAsync(ns, "t1");

        Assert.Equal(taskId, open.Status!.Task!.Id);
        Assert.Equal("submission_phase", open.Status.Task.State);
        Assert.Equal($"Arena task {taskId}", open.Status.Task.Title);
        Assert.NotNull(open.Status.Task.SubmissionPhaseEndsAt);
        Assert.NotNull(open.Status.Task.LastSync);
        Assert.Equal(ConditionStatus.False, Condition(closed, "TaskOpen")!.Status);
        Assert.Equal("SubmissionPhaseEnded", Condition(closed, "TaskOpen")!.Reason);
        Assert.Equal("final_validation", closed.Status!.Task!.State);
    }

    [Fact]
    public async Task An_unknown_task_id_is_a_condition_not_a_crash_loop()
    {
        var ns = await NamespaceWithSecretsAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "t2", 987_654_321);

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "t2"), "Stalled")?.Reason == "TaskNotFound", "TaskNotFound");
        var node = await GetAsync(ns, "t2");

        Assert.Equal(Phase.Failed, node.Status!.Phase);
        Assert.Contains("987654321", Condition(node, "TaskOpen")!.Message);
        Assert.Null(await DeploymentAsync(ns, "t2"));
        Assert.DoesNotContain(op.Logs.Lines, l => l.Contains("reconcile of", StringComparison.Ordinal) && l.Contains("t2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_task_already_over_never_starts_the_worker()
    {
        var ns = await NamespaceWithSecretsAsync();
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "t3", 13);

        await Eventually.TrueAsync(async () => (await GetAsync(ns, "t3")).Status?.Phase == Phase.TaskClosed, "TaskClosed");
        var node = await GetAsync(ns, "t3");

        Assert.Null(await DeploymentAsync(ns, "t3"));
        Assert.Equal(ConditionStatus.True, Condition(node, "Ready")!.Status);
        Assert.Equal("SubmissionPhaseEnded", Condition(node, "Ready")!.Reason);
    }

    [Fact]
    public async Task The_flock_api_failing_keeps_the_last_known_task_and_leaves_the_worker_alone()
    {
        var ns = await NamespaceWithSecretsAsync();
        var taskId = Random.Shared.NextInt64(1_000_000, 2_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "t4", taskId);
        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "t4"), "TaskOpen")?.Reason == "SubmissionPhase" && await DeploymentAsync(ns, "t4") is not null, "running");
        var deploymentBefore = (await DeploymentAsync(ns, "t4"))!;
        var before = await GetAsync(ns, "t4");

        _sandbox.FlockApi.Faults.FailAll(503);
        try
        {
            await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "t4"), "TaskOpen")?.Reason == "FlockApiUnavailable", "unavailability shown");
        }
        finally
        {
            _sandbox.FlockApi.Faults.Reset();
        }

        var during = await GetAsync(ns, "t4");
        var deploymentDuring = (await DeploymentAsync(ns, "t4"))!;
        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "t4"), "TaskOpen")?.Reason == "SubmissionPhase", "recovered");

        Assert.Equal(ConditionStatus.True, Condition(during, "TaskOpen")!.Status);
        Assert.Contains("503", Condition(during, "TaskOpen")!.Message);
        Assert.Equal(before.Status!.Task!.LastSync, during.Status!.Task!.LastSync);
        Assert.Equal(before.Status.Task.State, during.Status.Task.State);
        Assert.Equal(deploymentBefore.Metadata.Generation, deploymentDuring.Metadata.Generation);
        Assert.Equal(1, deploymentDuring.Spec.Replicas);
    }

    [Theory]
    [InlineData(MalformedKind.NotJson, "the body is not JSON")]
    [InlineData(MalformedKind.WrongTypes, "field id should be an integer")]
    public async Task A_malformed_answer_from_the_flock_api_gets_a_condition_that_names_the_problem(MalformedKind kind, string says)
    {
        var ns = await NamespaceWithSecretsAsync();
        var taskId = Random.Shared.NextInt64(2_000_000, 3_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        _sandbox.FlockApi.Faults.MalformNext(1_000_000, kind);
        try
        {
            await using var op = await OperatorHarness.StartAsync(_sandbox);
            await CreateAsync(ns, "m1", taskId);

            await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "m1"), "TaskOpen")?.Reason == "FlockApiMalformed", "FlockApiMalformed");

            Assert.Contains(says, Condition(await GetAsync(ns, "m1"), "TaskOpen")!.Message);
        }
        finally
        {
            _sandbox.FlockApi.Faults.Reset();
        }
    }

    [Fact]
    public async Task Two_hundred_resources_on_three_tasks_read_each_task_once_per_interval()
    {
        var ns = await NamespaceWithSecretsAsync();
        var first = Random.Shared.NextInt64(3_000_000, 4_000_000);
        long[] busy = [first, first + 1, first + 2];
        var lonely = first + 3;
        foreach (var id in busy.Append(lonely)) _sandbox.FlockApi.AddTask(SimulatedTask.Open(id, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        for (var i = 0; i < 200; i++) await CreateAsync(ns, $"r{i}", busy[i % 3]);
        await CreateAsync(ns, "alone", lonely);
        await Eventually.TrueAsync(async () =>
            (await _sandbox.Rest().ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new global::Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None))
                .Items.Count(n => n.Status?.Task?.State == "submission_phase") == 201, "all 201 know their task", TimeSpan.FromMinutes(2));

        var before = busy.Append(lonely).Select(_sandbox.FlockApi.TaskCalls).ToList();
        await Task.Delay(TimeSpan.FromSeconds(4)); // an observation window of a few poll intervals (1 s in the harness)
        var calls = busy.Append(lonely).Select((id, i) => _sandbox.FlockApi.TaskCalls(id) - before[i]).ToList();

        // A task read for 67 resources is read as often as a task read for one (±2 for jitter and scheduling): per task, never per resource.
        var single = calls[3];
        Assert.True(single >= 1, "the lone task was polled in the window");
        Assert.All(calls.Take(3), c => Assert.InRange(c, Math.Max(1, single - 2), single + 2));
    }

    [Fact]
    public async Task A_training_node_on_a_reinforcement_learning_task_is_held_and_never_started()
    {
        var ns = await NamespaceWithSecretsAsync();
        var taskId = Random.Shared.NextInt64(1000, 1_000_000);
        _sandbox.FlockApi.AddTask(SimulatedTask.Open(taskId, DateTimeOffset.UtcNow, TimeSpan.FromHours(1), TimeSpan.FromHours(1), TaskTypes.ReinforcementLearning));
        await using var op = await OperatorHarness.StartAsync(_sandbox);
        await CreateAsync(ns, "rl1", taskId);

        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "rl1"), "TaskOpen")?.Reason == "TaskTypeUnsupported", "held for its task type");
        var held = await GetAsync(ns, "rl1");

        Assert.Equal(Phase.Failed, held.Status!.Phase);
        Assert.Equal("reinforcement_learning", held.Status.Task!.TaskType);
        Assert.Equal((ConditionStatus.True, "TaskTypeUnsupported"), (Condition(held, "Stalled")!.Status, Condition(held, "Stalled")!.Reason));
        Assert.Contains($"task {taskId} is a reinforcement_learning task", Condition(held, "Ready")!.Message, StringComparison.Ordinal);
        Assert.Null(await DeploymentAsync(ns, "rl1"));
        KStatusRules.AssertHold(held, held.Status);
    }
}
