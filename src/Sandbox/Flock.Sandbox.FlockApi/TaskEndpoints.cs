using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// GET /tasks/get?task_id= (no key needed: the quickstart calls it without one, utils/flock_api.py get_task) and
/// GET /tasks/list (FLock-validator calls it once at start, validator/api.py list_tasks, and iterates the answer as a
/// list of tasks; it sends its key and raise_for_status()es, so a list without a key is not known to fail and is served).
/// </summary>
internal sealed class TaskEndpoints(TaskBoard tasks, FlockApiFaults faults, TimeProvider time)
{
    public async Task GetAsync(HttpContext context)
    {
        if (RequestBodies.PathInteger(context.Request.Query["task_id"].ToString()) is not { } id)
        {
            var error = context.Request.Query.ContainsKey("task_id") ? FieldError.NotInteger("query", "task_id") : FieldError.Missing("query", "task_id");
            await FastApiErrors.InvalidAsync(context, [error]);
            return;
        }

        tasks.CountRead(id);
        if (faults.TakeRawAnswer() is { } answer)
        {
            context.Response.StatusCode = answer.StatusCode;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
            return;
        }

        if (tasks.Get(id) is not { } task)
        {
            await FastApiErrors.DetailAsync(context, 404, "Task not found");
            return;
        }

        context.Response.ContentType = "application/json";
        var body = faults.TakeMalformed() switch
        {
            MalformedKind.NotJson => "<html><body>502 Bad Gateway</body></html>",
            MalformedKind.WrongTypes => TaskJson.Of(task, time.GetUtcNow(), wrongTypes: true).ToJsonString(),
            MalformedKind.MissingFields => "{\"message\": \"ok\"}",
            _ => TaskJson.Of(task, time.GetUtcNow()).ToJsonString(),
        };
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    public async Task ListAsync(HttpContext context)
    {
        var now = time.GetUtcNow();
        await context.Response.WriteAsJsonAsync(new JsonArray([.. tasks.All.Select(t => (JsonNode)TaskJson.Of(t, now))]), context.RequestAborted);
    }
}
