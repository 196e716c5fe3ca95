using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.FlockApi;

/// <summary>POST /tasks/submit-result: {"task_id": …, "data": {…}} (testnet-training-node-quickstart utils/flock_api.py submit_task).</summary>
internal sealed record SubmitBody(long TaskId, JsonObject Data);

/// <summary>POST /tasks/update-validation-assignment/{id}: {"status": "completed", "data": {…}} or {"status": "failed"} (FLock-validator validator/api.py).</summary>
internal sealed record UpdateBody(string Status, JsonObject? Data);

/// <summary>
/// Reads the JSON bodies the way FastAPI's pydantic (v1) models would: missing fields and wrong types become 422 field
/// errors. task_id is coerced from a numeric string as pydantic v1 does — and must be: the quickstart takes it from
/// os.environ["TASK_ID"] and posts it as a string (full_automation.py).
/// </summary>
internal static class RequestBodies
{
    public static async Task<(JsonNode? Body, FieldError? Error)> ReadAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return (null, FieldError.Missing("body"));
        try
        {
            return (JsonNode.Parse(text), null);
        }
        catch (JsonException)
        {
            // FastAPI reports an undecodable body as a 422 too (value_error.jsondecode); the position is left out.
            return (null, new FieldError(new JsonArray("body", 0), "Expecting value", "value_error.jsondecode"));
        }
    }

    public static List<FieldError> Submit(JsonNode? body, out SubmitBody? parsed)
    {
        parsed = null;
        if (body is not JsonObject o) return [FieldError.NotDict("body")];
        var errors = new List<FieldError>();
        var taskId = Integer(o, "task_id", errors);
        var data = Dict(o, "data", required: true, errors);
        if (errors.Count == 0) parsed = new SubmitBody(taskId!.Value, data!);
        return errors;
    }

    public static List<FieldError> Update(JsonNode? body, out UpdateBody? parsed)
    {
        parsed = null;
        if (body is not JsonObject o) return [FieldError.NotDict("body")];
        var errors = new List<FieldError>();
        string? status = null;
        if (!o.TryGetPropertyValue("status", out var node) || node is null) errors.Add(FieldError.Missing("body", "status"));
        else if (node is JsonValue v && v.TryGetValue<string>(out var s)) status = s;
        else errors.Add(FieldError.NotString("body", "status"));
        var data = Dict(o, "data", required: false, errors);
        if (errors.Count == 0) parsed = new UpdateBody(status!, data);
        return errors;
    }

    /// <summary>An integer in a path or query parameter, as FastAPI converts an int-typed one.</summary>
    public static long? PathInteger(string raw) =>
        long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static long? Integer(JsonObject o, string name, List<FieldError> errors)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
        {
            errors.Add(FieldError.Missing("body", name));
            return null;
        }

        if (node is JsonValue v)
        {
            if (v.TryGetValue<long>(out var n)) return n;
            if (v.TryGetValue<string>(out var s) && PathInteger(s.Trim()) is { } parsed) return parsed;
        }

        errors.Add(FieldError.NotInteger("body", name));
        return null;
    }

    private static JsonObject? Dict(JsonObject o, string name, bool required, List<FieldError> errors)
    {
        if (!o.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required) errors.Add(FieldError.Missing("body", name));
            return null;
        }

        if (node is JsonObject dict) return dict;
        errors.Add(FieldError.NotDict("body", name));
        return null;
    }
}
