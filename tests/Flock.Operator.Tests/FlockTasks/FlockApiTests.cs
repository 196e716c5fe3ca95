using Flock.Operator.FlockTasks;
using Flock.Operator.Tests.Integration;
using Flock.Sandbox.FlockApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.FlockTasks;

/// <summary>The FLock API client and task tracker against the fed-ledger simulator over HTTP.</summary>
public sealed class FlockApiTests : IAsyncLifetime
{
    private FlockApiSimulator _api = null!;
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    public async Task InitializeAsync()
    {
        _api = await FlockApiSimulator.StartAsync();
        _api.AddTask(SimulatedTask.Open(1, Now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        _api.AddTask(SimulatedTask.Open(2, Now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        _api.AddTask(SimulatedTask.Open(3, Now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        _api.AddTask(SimulatedTask.Open(4, Now.AddDays(-3), TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private FlockApiClient Client(TimeSpan? timeout = null) =>
        new(new HttpClient { Timeout = timeout ?? TimeSpan.FromSeconds(10) }, new Uri(_api.BaseUrl));

    [Fact]
    public async Task Reads_a_task_with_its_phase_deadlines_and_limits()
    {
        var task = await Client().GetTaskAsync(1, CancellationToken.None);
        var finished = await Client().GetTaskAsync(4, CancellationToken.None);

        Assert.Equal(("submission_phase", 7_000_000_000L, 2048), (task.Status, task.MaxParams!.Value, task.ContextLength!.Value));
        Assert.True(task.AcceptsSubmissions);
        Assert.Equal(Now.AddDays(1).ToUnixTimeSeconds(), task.SubmissionPhaseEndsAt!.Value.ToUnixTimeSeconds());
        Assert.False(finished.AcceptsSubmissions);
        Assert.True(finished.IsFinished(DateTimeOffset.UtcNow));
    }

    [Theory]
    [InlineData(404, FlockApiError.NotFound)]
    [InlineData(401, FlockApiError.Unauthorized)]
    [InlineData(403, FlockApiError.Forbidden)]
    [InlineData(429, FlockApiError.RateLimited)]
    [InlineData(500, FlockApiError.ServerError)]
    [InlineData(503, FlockApiError.ServerError)]
    public async Task Each_failure_status_becomes_a_typed_error(int status, FlockApiError expected)
    {
        _api.Faults.FailNext(1, status);

        var error = await Assert.ThrowsAsync<FlockApiException>(() => Client().GetTaskAsync(1, CancellationToken.None));

        Assert.Equal(expected, error.Error);
        if (status == 429) Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
    }

    [Fact]
    public async Task An_unknown_task_is_not_found()
    {
        var error = await Assert.ThrowsAsync<FlockApiException>(() => Client().GetTaskAsync(999, CancellationToken.None));

        Assert.Equal(FlockApiError.NotFound, error.Error);
        Assert.Contains("Task not found", error.Message);
    }

    [Theory]
    [InlineData(MalformedKind.NotJson, "not JSON")]
    [InlineData(MalformedKind.WrongTypes, "field id should be an integer")]
    [InlineData(MalformedKind.MissingFields, "field id is missing")]
    public async Task Broken_bodies_are_malformed_and_name_the_problem(MalformedKind kind, string says)
    {
        _api.Faults.MalformNext(1, kind);

        var error = await Assert.ThrowsAsync<FlockApiException>(() => Client().GetTaskAsync(1, CancellationToken.None));

        Assert.Equal(FlockApiError.Malformed, error.Error);
        Assert.Contains(says, error.Message);
    }

    [Fact]
    public async Task A_timeout_or_a_closed_port_is_unreachable()
    {
        _api.Faults.Latency = TimeSpan.FromSeconds(3);
        var slow = await Assert.ThrowsAsync<FlockApiException>(() => Client(TimeSpan.FromMilliseconds(300)).GetTaskAsync(1, CancellationToken.None));
        var closed = await Assert.ThrowsAsync<FlockApiException>(() =>
            new FlockApiClient(new HttpClient(), new Uri("http://127.0.0.1:1/api/v1")).GetTaskAsync(1, CancellationToken.None));

        Assert.Equal(FlockApiError.Unreachable, slow.Error);
        Assert.Equal(FlockApiError.Unreachable, closed.Error);
    }

    [Fact]
    public async Task Two_hundred_resources_on_three_tasks_make_one_call_per_task_per_interval()
    {
        var tracker = new TaskTracker(Client(), new TaskTrackerOptions { PollInterval = TimeSpan.FromMilliseconds(400), Jitter = 0 }, TimeProvider.System,
            NullLogger<TaskTracker>.Instance);
        using var stop = new CancellationTokenSource();
        await tracker.StartAsync(stop.Token);
        var started = DateTimeOffset.UtcNow;

        // 200 resources, each asking about its task on every reconcile for ~2 s.
        while (DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(2))
        {
            for (var r = 0; r < 200; r++) tracker.Watch(1 + r % 3);
            await Task.Delay(50);
        }

        var elapsedIntervals = (DateTimeOffset.UtcNow - started) / TimeSpan.FromMilliseconds(400);
        await tracker.StopAsync(CancellationToken.None);

        foreach (var id in new long[] { 1, 2, 3 })
        {
            Assert.InRange(_api.TaskCalls(id), 1, (int)Math.Ceiling(elapsedIntervals) + 1);
            Assert.Equal("submission_phase", tracker.Watch(id).Task!.Status);
        }
    }

    [Fact]
    public async Task Errors_keep_the_last_known_task_and_recovery_clears_them()
    {
        var tracker = new TaskTracker(Client(), new TaskTrackerOptions { PollInterval = TimeSpan.FromMilliseconds(200), ErrorBackoff = TimeSpan.FromMilliseconds(100), Jitter = 0 },
            TimeProvider.System, NullLogger<TaskTracker>.Instance);
        var changes = 0;
        tracker.Changed += _ => Interlocked.Increment(ref changes);
        await tracker.StartAsync(CancellationToken.None);
        tracker.Watch(2);
        await Eventually.TrueAsync(() => tracker.Watch(2).Known, "first read");
        var first = tracker.Watch(2);

        _api.Faults.FailAll(503);
        await Eventually.TrueAsync(() => tracker.Watch(2).LastError is not null, "error seen");
        var during = tracker.Watch(2);
        _api.Faults.Reset();
        await Eventually.TrueAsync(() => tracker.Watch(2).LastError is null, "recovered");
        await tracker.StopAsync(CancellationToken.None);

        Assert.Equal(FlockApiError.ServerError, during.LastError!.Error);
        Assert.Equal(first.Task, during.Task);
        Assert.Equal(first.LastSync, during.LastSync);
        Assert.True(changes >= 3, $"changes: {changes}");
    }
}
