using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The FLock fed-ledger API as the workers and the operator see it, on 127.0.0.1: the real paths under /api/v1, the
/// real field names and refusal texts, FastAPI's error bodies, the flock-api-key header where an endpoint needs it,
/// tasks whose phases advance on a clock, submissions and validation assignments with the real lookup rate limit, and
/// faults on demand. It records what it accepted, so a test can see what a worker submitted or a validator reported,
/// and counts task reads, so a test can prove how many requests the operator made. Every route and its source: README.md.
/// </summary>
public sealed class FlockApiSimulator : IAsyncDisposable
{
    private readonly TaskBoard _tasks = new();
    private readonly ApiKeys _keys = new();
    private readonly Ledger _ledger = new();
    private readonly TimeProvider _time;
    private WebApplication? _app;

    private FlockApiSimulator(TimeProvider time) => _time = time;

    public FlockApiFaults Faults { get; } = new();

    /// <summary>http://127.0.0.1:port/api/v1, the base URL the operator and the workers use.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <param name="port">0 for a free port.</param>
    /// <param name="time">The clock of the task phases and of the assignment lookup limit.</param>
    public static async Task<FlockApiSimulator> StartAsync(int port = 0, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var simulator = new FlockApiSimulator(time ?? TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        simulator.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseUrl = address.TrimEnd('/') + "/api/v1";
        simulator._app = app;
        return simulator;
    }

    /// <summary>Adds or replaces a task; its <see cref="SimulatedTask.TaskType"/> must be one of <see cref="TaskTypes"/>.</summary>
    public void AddTask(SimulatedTask task) => _tasks.Add(task);

    public SimulatedTask? Task(long id) => _tasks.Get(id);

    /// <summary>
    /// Accepts <paramref name="key"/> in the flock-api-key header from now on. Records and the lookup limit know the
    /// caller by <paramref name="holder"/> (default key-1, key-2, …), never by the key.
    /// </summary>
    /// <returns>The holder name.</returns>
    public string IssueApiKey(string key, string? holder = null) => _keys.Issue(key, holder);

    /// <summary>Every submission accepted by POST /tasks/submit-result, oldest first.</summary>
    public IReadOnlyList<SubmissionRecord> Submissions => _ledger.Submissions;

    /// <summary>Every validation assignment handed out, with its status and the result a validator posted.</summary>
    public IReadOnlyList<AssignmentRecord> Assignments => _ledger.Assignments;

    /// <summary>GET /tasks/get calls made for one task id.</summary>
    public int TaskCalls(long id) => _tasks.Reads(id);

    /// <summary>All GET /tasks/get calls.</summary>
    public int TotalTaskCalls => _tasks.TotalReads;

    public void ResetCounts() => _tasks.ResetReads();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (Faults.Latency > TimeSpan.Zero) await System.Threading.Tasks.Task.Delay(Faults.Latency, context.RequestAborted);
            if (Faults.TakeFailure() is { } code)
            {
                if (code == 429) context.Response.Headers.RetryAfter = Faults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await FastApiErrors.DetailAsync(context, code, code == 429 ? "Rate limit exceeded" : "Internal Server Error");
                return;
            }

            await next(context);
        });

        // ASP.NET answers an unrouted path (404) and a wrong method (405, with Allow) without a body; FastAPI with one.
        app.UseStatusCodePages(async status =>
        {
            if (status.HttpContext.Response.StatusCode is 404 or 405) await FastApiErrors.FillEmptyAsync(status.HttpContext);
        });

        var tasks = new TaskEndpoints(_tasks, Faults, _time);
        var submissions = new SubmissionEndpoint(_tasks, _keys, _ledger, _time);
        var assignments = new AssignmentEndpoints(_tasks, _keys, _ledger, new AssignmentLookupLimit(_time), _time);
        app.MapGet("/api/v1/tasks/get", tasks.GetAsync);
        app.MapGet("/api/v1/tasks/list", tasks.ListAsync);
        app.MapPost("/api/v1/tasks/submit-result", submissions.SubmitAsync);
        app.MapPost("/api/v1/tasks/request-validation-assignment/{taskId}", (HttpContext c, string taskId) => assignments.RequestAsync(c, taskId));
        app.MapPost("/api/v1/tasks/update-validation-assignment/{assignmentId}", (HttpContext c, string assignmentId) => assignments.UpdateAsync(c, assignmentId));
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
