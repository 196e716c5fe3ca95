using Flock.Operator.FlockTasks;
using Flock.Sandbox.FlockApi;

namespace Flock.Reliability.Tests.Answers;

/// <summary>A broken answer to GET /tasks/get?task_id=12 and the typed error it must become, with words the message must hold.</summary>
public sealed record FlockApiAnswer(string Name, RawAnswer Answer, FlockApiError Error, params string[] Says)
{
    public override string ToString() => Name;
}

/// <summary>
/// What a fed-ledger, its proxy or a broken deployment can answer instead of a task (field names from the
/// fed-ledger's TaskDetail; see /work/shared/research/flock.md): wrong types, missing fields, huge numbers, bad dates,
/// HTML error pages, truncated JSON and status codes the client must map.
/// </summary>
public static class FlockApiAnswers
{
    /// <summary>A valid task 12 body with one field replaced (JSON text spliced in as is).</summary>
    public static string Task(string? id = "12", string? status = "\"submission_phase\"", string? title = "\"Arena task\"",
        string? submissionEnds = "\"2030-01-01T00:00:00\"", string? validationEnds = "\"2030-01-02T00:00:00\"", string? data = null)
    {
        var fields = new List<string>();
        if (id is not null) fields.Add($"\"id\": {id}");
        if (title is not null) fields.Add($"\"title\": {title}");
        if (status is not null) fields.Add($"\"status\": {status}");
        if (submissionEnds is not null) fields.Add($"\"submission_phase_ends_at\": {submissionEnds}");
        if (validationEnds is not null) fields.Add($"\"final_validation_ends_at\": {validationEnds}");
        fields.Add($"\"data\": {data ?? "{\"max_params\": 7000000000, \"context_length\": 2048}"}");
        return "{" + string.Join(", ", fields) + "}";
    }

    private static RawAnswer Ok(string body, string contentType = "application/json") => new(200, body, contentType);

    private const string BadGatewayPage = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";

    public static IReadOnlyList<FlockApiAnswer> All { get; } =
    [
        new("empty body", Ok(""), FlockApiError.Malformed, "task 12", "not JSON"),
        new("HTML page with 200", Ok(BadGatewayPage, "text/html"), FlockApiError.Malformed, "not JSON"),
        new("plain text with 200", Ok("OK", "text/plain"), FlockApiError.Malformed, "not JSON"),
        new("truncated JSON", Ok(Task()[..40]), FlockApiError.Malformed, "not JSON"),
        new("JSON array", Ok("[" + Task() + "]"), FlockApiError.Malformed, "not a JSON object"),
        new("JSON null", Ok("null"), FlockApiError.Malformed, "not a JSON object"),
        new("JSON string", Ok("\"submission_phase\""), FlockApiError.Malformed, "not a JSON object"),
        new("nested deeper than the parser allows", Ok(new string('[', 200) + new string(']', 200)), FlockApiError.Malformed, "not JSON"),
        new("empty object", Ok("{}"), FlockApiError.Malformed, "id is missing"),
        new("id missing", Ok(Task(id: null)), FlockApiError.Malformed, "id is missing"),
        new("id as a string", Ok(Task(id: "\"12\"")), FlockApiError.Malformed, "id", "string"),
        new("id of another task", Ok(Task(id: "13")), FlockApiError.Malformed, "id is 13"),
        new("id with a fraction", Ok(Task(id: "12.5")), FlockApiError.Malformed, "id", "integer"),
        new("id beyond 64 bits", Ok(Task(id: "123456789012345678901234567890")), FlockApiError.Malformed, "id", "integer"),
        new("id as a boolean", Ok(Task(id: "true")), FlockApiError.Malformed, "id", "a boolean"),
        new("status missing", Ok(Task(status: null)), FlockApiError.Malformed, "status is missing"),
        new("status null", Ok(Task(status: "null")), FlockApiError.Malformed, "status is missing"),
        new("status as a number", Ok(Task(status: "3")), FlockApiError.Malformed, "status", "number"),
        new("status as an object", Ok(Task(status: "{\"phase\": \"submission\"}")), FlockApiError.Malformed, "status", "object"),
        new("title as an array", Ok(Task(title: "[\"Arena\"]")), FlockApiError.Malformed, "title", "array"),
        new("date that is not a date", Ok(Task(submissionEnds: "\"next tuesday\"")), FlockApiError.Malformed, "submission_phase_ends_at", "date-time"),
        new("date with month 13", Ok(Task(validationEnds: "\"2030-13-45T99:00:00\"")), FlockApiError.Malformed, "final_validation_ends_at", "date-time"),
        new("date as a unix timestamp", Ok(Task(submissionEnds: "1893456000")), FlockApiError.Malformed, "submission_phase_ends_at", "number"),
        new("max_params as words", Ok(Task(data: "{\"max_params\": \"seven billion\"}")), FlockApiError.Malformed, "data.max_params", "string"),
        new("max_params beyond 64 bits", Ok(Task(data: "{\"max_params\": 1e40}")), FlockApiError.Malformed, "data.max_params", "integer"),
        new("context_length beyond 32 bits", Ok(Task(data: "{\"context_length\": 3000000000}")), FlockApiError.Malformed, "data.context_length", "range"),
        new("negative context_length", Ok(Task(data: "{\"context_length\": -1}")), FlockApiError.Malformed, "data.context_length", "range"),
        new("data as a string", Ok(Task(data: "\"training_set_url=…\"")), FlockApiError.Malformed, "data", "object"),
        new("duplicate id field", Ok("{\"id\": 12, \"id\": 13, \"status\": \"submission_phase\"}"), FlockApiError.Malformed, "task 12", "not JSON", "id"),
        new("401 with a detail", new RawAnswer(401, "{\"detail\": \"Invalid API key\"}"), FlockApiError.Unauthorized, "Invalid API key"),
        new("403 with a detail", new RawAnswer(403, "{\"detail\": \"Not allowed\"}"), FlockApiError.Forbidden, "Not allowed"),
        new("404 with a detail", new RawAnswer(404, "{\"detail\": \"Task not found\"}"), FlockApiError.NotFound, "task 12", "Task not found"),
        new("429 with an unreadable Retry-After", new RawAnswer(429, "{\"detail\": \"slow down\"}") { Headers = new Dictionary<string, string> { ["Retry-After"] = "soon" } },
            FlockApiError.RateLimited, "rate-limited", "slow down"),
        new("422 with FastAPI's list detail", new RawAnswer(422, "{\"detail\": [{\"loc\": [\"query\", \"task_id\"], \"msg\": \"value is not a valid integer\"}]}"),
            FlockApiError.Malformed, "422"),
        new("418 teapot", new RawAnswer(418, "I'm a teapot", "text/plain"), FlockApiError.Malformed, "418"),
        new("502 HTML page", new RawAnswer(502, BadGatewayPage, "text/html"), FlockApiError.ServerError, "502", "no detail"),
        new("503 with a long detail", new RawAnswer(503, "{\"detail\": \"" + new string('x', 5000) + "\"}"), FlockApiError.ServerError, "503", "…"),
        new("body cut short of its Content-Length", new RawAnswer(200, Task()[..30]) { Headers = new Dictionary<string, string> { ["Content-Length"] = "4000" } },
            FlockApiError.Unreachable, "task 12"),
        new("301 without a location", new RawAnswer(301, ""), FlockApiError.Malformed, "301"),
    ];
}
