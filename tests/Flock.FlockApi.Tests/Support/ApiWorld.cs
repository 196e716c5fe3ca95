using Flock.Sandbox.FlockApi;
using Microsoft.Extensions.Time.Testing;

namespace Flock.FlockApi.Tests.Support;

/// <summary>
/// A simulator on a fake clock with a trainer's and two validators' keys and a task of each type (and one past its
/// submission phase), for one test.
/// </summary>
public sealed class ApiWorld : IAsyncLifetime
{
    public const string TrainerKey = "trainer-key-0c9f";
    public const string ValidatorKey = "validator-key-77ab";
    public const string OtherValidatorKey = "validator-key-e410";

    public const long TrainingTask = 12;
    public const long ClosedTask = 13;
    public const long RlTask = 20;
    public const long LlmTask = 30;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    public FlockApiSimulator Api { get; private set; } = null!;
    public RealClients Clients { get; private set; } = null!;

    /// <summary>Bounds a hung call; never part of what a test asserts.</summary>
    public CancellationToken Ct => _bound.Token;

    private readonly CancellationTokenSource _bound = new(TimeSpan.FromMinutes(1));
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        Api = await FlockApiSimulator.StartAsync(time: Clock);
        var now = Clock.GetUtcNow();
        Api.AddTask(SimulatedTask.Open(TrainingTask, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        Api.AddTask(SimulatedTask.Open(ClosedTask, now.AddDays(-3), TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        Api.AddTask(SimulatedTask.Open(RlTask, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1), TaskTypes.ReinforcementLearning));
        Api.AddTask(SimulatedTask.Open(LlmTask, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1), TaskTypes.LlmEvaluation));
        Api.IssueApiKey(TrainerKey, "trainer");
        Api.IssueApiKey(ValidatorKey, "validator");
        Api.IssueApiKey(OtherValidatorKey, "other-validator");
        Clients = new RealClients(_http, Api.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        _bound.Dispose();
        await Api.DisposeAsync();
    }

    /// <summary>The trainer submits a valid training result to task 12, as the quickstart does.</summary>
    public Task<Answer> SubmitGoodTrainingAsync(string revision = "a1b2c3d") =>
        Clients.SubmitTrainingAsync(TrainerKey, "12", "trainer/task-12-Qwen-Qwen1.5-1.8B", "qwen1.5", "NVIDIA A100-SXM4-80GB", revision, Ct);

    /// <summary>The validators' wait between lookups, on the fake clock.</summary>
    public void WaitOutLookupLimit() => Clock.Advance(TimeSpan.FromMinutes(3));
}
