using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The FLock fed-ledger API as the workers and the operator see it, on 127.0.0.1: the real paths
/// under /api/v1, the real field names, FastAPI-style {"detail": …} errors, the flock-api-key
/// header where an endpoint needs it, tasks whose phases advance on a clock, and faults on demand.
/// It counts every call, so a test can prove how many requests the operator made.
/// </summary>
public sealed class FlockApiSimulator : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, SimulatedTask> _tasks = new();
    private readonly ConcurrentDictionary<string, byte> _apiKeys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private WebApplication? _app;

    private FlockApiSimulator(TimeProvider time) => _time = time;

    public FlockApiFaults Faults { get; } = new();

    /// <summary>http://127.0.0.1:port/api/v1, the base URL the operator and the workers use.</summary>
    public string BaseUrl { get; private set; } = "";

    public static async Task<FlockApiSimulator> StartAsync(int port = 0, TimeProvider? time = null)
    {
        var simulator = new FlockApiSimulator(time ?? TimeProvider.System);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        simulator.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        simulator.BaseUrl = address.TrimEnd('/') + "/api/v1";
        simulator._app = app;
        return simulator;
    }

    public void AddTask(SimulatedTask task) => _tasks[task.Id] = task;

    public SimulatedTask? Task(long id) => _tasks.GetValueOrDefault(id);

    public void IssueApiKey(string key) => _apiKeys[key] = 0;

    /// <summary>GET /tasks/get calls made for one task id.</summary>
    public int TaskCalls(long id) => _calls.GetValueOrDefault($"tasks/get/{id}");

    /// <summary>All GET /tasks/get calls.</summary>
    public int TotalTaskCalls => _calls.Where(c => c.Key.StartsWith("tasks/get/", StringComparison.Ordinal)).Sum(c => c.Value);

    public void ResetCounts() => _calls.Clear();

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (Faults.Latency > TimeSpan.Zero) await System.Threading.Tasks.Task.Delay(Faults.Latency, context.RequestAborted);
            if (Faults.TakeFailure() is { } code)
            {
                if (code == 429) context.Response.Headers.RetryAfter = Faults.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await Detail(context, code, code == 429 ? "Rate limit exceeded" : "Internal Server Error");
                return;
            }

            await next(context);
        });

        app.MapGet("/api/v1/tasks/get", GetTask);
        app.MapPost("/api/v1/tasks/submit-result", SubmitResult);
        app.MapPost("/api/v1/tasks/request-validation-assignment/{taskId}", RequestAssignment);
    }

    private async Task GetTask(HttpContext context)
    {
        var raw = context.Request.Query["task_id"].ToString();
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            // FastAPI's validation error for a query parameter of the wrong type.
            context.Response.StatusCode = 422;
            await context.Response.WriteAsJsonAsync(new JsonObject
            {
                ["detail"] = new JsonArray(new JsonObject
                {
                    ["loc"] = new JsonArray("query", "task_id"),
                    ["msg"] = "value is not a valid integer",
                    ["type"] = "type_error.integer",
                }),
            });
            return;
        }

        _calls.AddOrUpdate($"tasks/get/{id}", 1, (_, n) => n + 1);
        if (Faults.TakeRawAnswer() is { } answer)
        {
            context.Response.StatusCode = answer.StatusCode;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
            await context.Response.WriteAsync(answer.Body);
            return;
        }

        if (!_tasks.TryGetValue(id, out var task))
        {
            await Detail(context, 404, "Task not found");
            return;
        }

        context.Response.ContentType = "application/json";
        var body = Faults.TakeMalformed() switch
        {
            MalformedKind.NotJson => "<html><body>502 Bad Gateway</body></html>",
            MalformedKind.WrongTypes => TaskJson(task, _time.GetUtcNow(), wrongTypes: true).ToJsonString(),
            MalformedKind.MissingFields => "{\"message\": \"ok\"}",
            _ => TaskJson(task, _time.GetUtcNow(), wrongTypes: false).ToJsonString(),
        };
        await context.Response.WriteAsync(body);
    }

    private async Task SubmitResult(HttpContext context)
    {
        if (!Authorized(context))
        {
            await Detail(context, 401, "Invalid API key");
            return;
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["status"] = "submitted" });
    }

    private async Task RequestAssignment(HttpContext context, long taskId)
    {
        if (!Authorized(context))
        {
            await Detail(context, 401, "Invalid API key");
            return;
        }

        await Detail(context, 400, "No task submissions available to validate");
    }

    private bool Authorized(HttpContext context) =>
        context.Request.Headers.TryGetValue("flock-api-key", out var key) && _apiKeys.ContainsKey(key.ToString());

    private static async Task Detail(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["detail"] = detail });
    }

    private static JsonObject TaskJson(SimulatedTask task, DateTimeOffset now, bool wrongTypes) => new()
    {
        ["id"] = wrongTypes ? JsonValue.Create(task.Id.ToString(CultureInfo.InvariantCulture)) : JsonValue.Create(task.Id),
        ["title"] = task.Title,
        ["description"] = task.Description,
        ["task_type"] = task.TaskType,
        ["status"] = task.StatusAt(now),
        ["duration_in_seconds"] = (long)(task.SubmissionPhaseEndsAt - task.InitializedAt).TotalSeconds,
        ["initialized_at"] = Iso(task.InitializedAt),
        ["submission_phase_ends_at"] = Iso(task.SubmissionPhaseEndsAt),
        ["final_validation_ends_at"] = Iso(task.FinalValidationEndsAt),
        ["final_link"] = null,
        ["data"] = new JsonObject
        {
            ["training_set_url"] = $"https://datasets.invalid/task-{task.Id}/training_set.jsonl?X-Amz-Expires=3600",
            ["max_params"] = wrongTypes ? JsonValue.Create("seven billion") : JsonValue.Create(task.MaxParams),
            ["context_length"] = task.ContextLength,
        },
    };

    // FastAPI serialises naive UTC datetimes without an offset.
    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
