using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Operator.Tasks;

/// <summary>Reads a task body strictly: a missing or mistyped field is an error that names it.</summary>
public static class FlockTaskParser
{
    public static FlockTask Parse(string body, long requestedId)
    {
        JsonObject task;
        try
        {
            task = JsonNode.Parse(body) as JsonObject ?? throw Malformed(requestedId, "the body is not a JSON object");
        }
        catch (JsonException)
        {
            throw Malformed(requestedId, "the body is not JSON");
        }

        var id = Integer(task, "id", requestedId) ?? throw Malformed(requestedId, "field id is missing");
        if (id != requestedId) throw Malformed(requestedId, $"field id is {id}, not the task asked for");
        var data = task["data"] as JsonObject;
        return new FlockTask
        {
            Id = id,
            Title = Text(task, "title", requestedId),
            Status = Text(task, "status", requestedId) ?? throw Malformed(requestedId, "field status is missing"),
            SubmissionPhaseEndsAt = Time(task, "submission_phase_ends_at", requestedId),
            FinalValidationEndsAt = Time(task, "final_validation_ends_at", requestedId),
            MaxParams = data is null ? null : Integer(data, "max_params", requestedId, "data."),
            ContextLength = data is null ? null : (int?)Integer(data, "context_length", requestedId, "data."),
        };
    }

    private static string? Text(JsonObject o, string name, long id) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Malformed(id, $"field {name} should be a string, not {other.GetValueKind().ToString().ToLowerInvariant()}"),
    };

    private static long? Integer(JsonObject o, string name, long id, string prefix = "") => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) => n,
        var other => throw Malformed(id, $"field {prefix}{name} should be an integer, not {other.GetValueKind().ToString().ToLowerInvariant()}"),
    };

    // FastAPI writes naive datetimes; the fed-ledger's are UTC.
    private static DateTimeOffset? Time(JsonObject o, string name, long id)
    {
        var text = Text(o, name, id);
        if (text is null) return null;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw Malformed(id, $"field {name} is not a date-time");
    }

    private static FlockApiException Malformed(long id, string problem) =>
        new(FlockApiError.Malformed, $"FLock API returned a malformed task {id}: {problem}");
}
