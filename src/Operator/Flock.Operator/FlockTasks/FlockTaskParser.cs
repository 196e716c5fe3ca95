using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Operator.FlockTasks;

/// <summary>Reads a task body strictly: a missing or mistyped field is an error that names it.</summary>
public static class FlockTaskParser
{
    public static FlockTask Parse(string body, long requestedId)
    {
        JsonObject task;
        try
        {
            // Duplicate keys are refused while parsing: a lazily built JsonObject would otherwise throw ArgumentException on first use.
            task = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false }) as JsonObject
                ?? throw Malformed(requestedId, "the body is not a JSON object");
        }
        catch (JsonException e)
        {
            // System.Text.Json names the position and the offending token or property, never the whole body.
            throw Malformed(requestedId, $"the body is not JSON ({Truncate(e.Message)})");
        }
        catch (ArgumentException)
        {
            // Text that is not valid UTF-16 (a lone surrogate) cannot even be transcoded for the JSON reader.
            throw Malformed(requestedId, "the body is not valid text");
        }

        var id = Integer(task, "id", requestedId) ?? throw Malformed(requestedId, "field id is missing");
        if (id != requestedId) throw Malformed(requestedId, $"field id is {id}, not the task asked for");
        var data = task["data"] switch
        {
            null => null,
            JsonObject o => o,
            var other => throw Malformed(requestedId, $"field data should be an object, not {Kind(other)}"),
        };
        return new FlockTask
        {
            Id = id,
            Title = Text(task, "title", requestedId),
            Status = Text(task, "status", requestedId) ?? throw Malformed(requestedId, "field status is missing"),
            SubmissionPhaseEndsAt = Time(task, "submission_phase_ends_at", requestedId),
            FinalValidationEndsAt = Time(task, "final_validation_ends_at", requestedId),
            MaxParams = data is null ? null : InRange(Integer(data, "max_params", requestedId, "data."), 0, long.MaxValue, "data.max_params", requestedId),
            TaskType = Text(task, "task_type", requestedId),
            ContextLength = data is null ? null : InRange(Integer(data, "context_length", requestedId, "data."), 0, int.MaxValue, "data.context_length", requestedId) is { } n ? (int)n : null,
        };
    }

    private static string? Text(JsonObject o, string name, long id) => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw Malformed(id, $"field {name} should be a string, not {Kind(other)}"),
    };

    private static long? Integer(JsonObject o, string name, long id, string prefix = "") => o[name] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => throw Malformed(id, $"field {prefix}{name} should be an integer, not {Truncate(v.ToJsonString())}"),
        var other => throw Malformed(id, $"field {prefix}{name} should be an integer, not {Kind(other)}"),
    };

    private static long? InRange(long? value, long min, long max, string name, long id) =>
        value is not { } n || (n >= min && n <= max) ? value : throw Malformed(id, $"field {name} is out of range ({n})");

    private static string Kind(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Truncate(string text) => text.Length <= 120 ? text : text[..120] + "…";

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
