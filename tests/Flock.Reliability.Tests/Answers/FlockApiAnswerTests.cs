using Flock.Operator.FlockTasks;
using Flock.Reliability.Tests.Support;
using Flock.Sandbox.FlockApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Reliability.Tests.Answers;

/// <summary>The FLock API simulator, serving answers verbatim through its raw-answer fault.</summary>
public sealed class FlockApiFixture : IAsyncLifetime
{
    public FlockApiSimulator Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Api = await FlockApiSimulator.StartAsync();
        Api.AddTask(SimulatedTask.Open(12, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
    }

    public async Task DisposeAsync() => await Api.DisposeAsync();

    public FlockApiClient Client() => new(new HttpClient { Timeout = TimeSpan.FromSeconds(10) }, new Uri(Api.BaseUrl));
}

/// <summary>Every broken FLock API answer becomes a typed <see cref="FlockApiException"/> whose message names the problem.</summary>
public sealed class FlockApiAnswerTests(FlockApiFixture fixture) : IClassFixture<FlockApiFixture>
{
    public static TheoryData<string> Cases() => new(FlockApiAnswers.All.Select(a => a.Name));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_broken_answer_is_a_typed_error_naming_the_problem(string name)
    {
        var answer = FlockApiAnswers.All.Single(a => a.Name == name);
        fixture.Api.Faults.AnswerNext(answer.Answer);

        var error = await Assert.ThrowsAsync<FlockApiException>(() => fixture.Client().GetTaskAsync(12, CancellationToken.None));

        Assert.Equal(answer.Error, error.Error);
        foreach (var part in answer.Says) Assert.Contains(part, error.Message, StringComparison.Ordinal);
        // The message is for a person: bounded, and never the whole body.
        Assert.True(error.Message.Length < 400, $"message of {error.Message.Length} chars");
    }

    [Fact]
    public async Task The_raw_answer_fault_serves_a_good_body_as_the_client_reads_it()
    {
        fixture.Api.Faults.AnswerNext(new RawAnswer(200, FlockApiAnswers.Task(title: "\"Raw\"")));

        var task = await fixture.Client().GetTaskAsync(12, CancellationToken.None);

        Assert.Equal(("Raw", FlockTask.SubmissionPhase, 7_000_000_000L, 2048), (task.Title, task.Status, task.MaxParams, task.ContextLength));
        Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), task.SubmissionPhaseEndsAt);
    }

    [Fact]
    public async Task The_task_tracker_keeps_the_last_good_task_through_every_broken_answer_and_recovers()
    {
        var tracker = new TaskTracker(fixture.Client(),
            new TaskTrackerOptions { PollInterval = TimeSpan.FromMilliseconds(50), ErrorBackoff = TimeSpan.FromMilliseconds(10), Jitter = 0 },
            TimeProvider.System, NullLogger<TaskTracker>.Instance);
        await tracker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(tracker.Watch(12).Known), () => "first read of task 12");
            var errors = new System.Collections.Concurrent.ConcurrentDictionary<FlockApiError, byte>();
            var dropped = 0;
            tracker.Changed += id =>
            {
                var snapshot = tracker.Watch(id);
                if (!snapshot.Known) Interlocked.Increment(ref dropped);
                if (snapshot.LastError is { } e) errors[e.Error] = 0;
            };
            var broken = FlockApiAnswers.All.Where(a => a.Error != FlockApiError.NotFound).ToList();
            var callsBefore = fixture.Api.TaskCalls(12);
            foreach (var answer in broken) fixture.Api.Faults.AnswerNext(answer.Answer);

            await Eventually.TrueAsync(() => Task.FromResult(fixture.Api.TaskCalls(12) > callsBefore + broken.Count && tracker.Watch(12).LastError is null),
                () => $"every broken answer served, then a clean read (errors seen: {string.Join(",", errors.Keys)})");

            Assert.Equal(0, dropped);
            Assert.Superset(new HashSet<FlockApiError> { FlockApiError.Malformed, FlockApiError.Unauthorized, FlockApiError.ServerError }, errors.Keys.ToHashSet());
        }
        finally
        {
            await tracker.StopAsync(CancellationToken.None);
        }
    }
}
