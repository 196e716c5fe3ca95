using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>An API error answered as a metav1.Status body with its HTTP code.</summary>
public sealed class ApiException : Exception
{
    public ApiException(JsonObject status) : base(Json.Str(status, "message"))
    {
        Status = status;
        Code = (int)(Json.Long(status, "code") ?? 500);
    }

    public JsonObject Status { get; }
    public int Code { get; }

    /// <summary>Seconds for a Retry-After header (429, 503), if any.</summary>
    public int? RetryAfterSeconds { get; init; }
}

/// <summary>
/// The Status bodies of k8s.io/apimachinery/pkg/api/errors, with the same messages, reasons and
/// details a real apiserver sends.
/// </summary>
public static class Errors
{
    public static JsonObject Status(int code, string reason, string message, JsonObject? details = null)
    {
        var s = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
        };
        if (reason.Length > 0) s["reason"] = reason;
        if (details is not null) s["details"] = details;
        s["code"] = code;
        return s;
    }

    public static JsonObject Success(JsonObject? details = null)
    {
        var s = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null) s["details"] = details;
        return s;
    }

    public static JsonObject Details(string? name, string group, string kind, string? uid = null)
    {
        var d = new JsonObject();
        if (!string.IsNullOrEmpty(name)) d["name"] = name;
        if (group.Length > 0) d["group"] = group;
        d["kind"] = kind;
        if (uid is not null) d["uid"] = uid;
        return d;
    }

    private static string Qualified(string group, string plural) => group.Length == 0 ? plural : $"{plural}.{group}";

    public static ApiException NotFound(string group, string plural, string name) =>
        new(Status(404, "NotFound", $"{Qualified(group, plural)} \"{name}\" not found", Details(name, group, plural)));

    public static ApiException AlreadyExists(string group, string plural, string name) =>
        new(Status(409, "AlreadyExists", $"{Qualified(group, plural)} \"{name}\" already exists", Details(name, group, plural)));

    public static ApiException Conflict(string group, string plural, string name, string why) =>
        new(Status(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(group, plural)} \"{name}\": {why}", Details(name, group, plural)));

    public const string ModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    public static ApiException BadRequest(string message) => new(Status(400, "BadRequest", message));

    public static ApiException Gone(string message) => new(Status(410, "Expired", message));

    public static ApiException MethodNotAllowed() =>
        new(Status(405, "MethodNotAllowed", "the server does not allow this method on the requested resource"));

    public static ApiException UnsupportedMediaType(string contentType, IEnumerable<string> accepted) =>
        new(Status(415, "UnsupportedMediaType",
            $"the body of the request was in an unknown format - accepted media types include: {string.Join(", ", accepted)}"));

    public static ApiException NotAcceptable() =>
        new(Status(406, "NotAcceptable", "only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf"));

    public static ApiException PathNotFound() => new(Status(404, "NotFound", "the server could not find the requested resource", new JsonObject()));

    public static ApiException Internal(string message) =>
        new(Status(500, "InternalError", $"Internal error occurred: {message}", new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) }));

    public static ApiException Unauthorized() => new(Status(401, "Unauthorized", "Unauthorized"));

    public static ApiException Forbidden(string group, string plural, string name, string message) =>
        new(Status(403, "Forbidden", name.Length == 0
            ? $"{Qualified(group, plural)} is forbidden: {message}"
            : $"{Qualified(group, plural)} \"{name}\" is forbidden: {message}", Details(name, group, plural)));

    /// <summary>422 with field causes, as field.ErrorList.ToAggregate renders them.</summary>
    public static ApiException Invalid(string kind, string group, string name, IReadOnlyList<(string Field, string Type, string Message)> causes)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var texts = causes.Select(c => c.Field.Length > 0 ? $"{c.Field}: {c.Message}" : c.Message).ToList();
        var joined = texts.Count == 1 ? texts[0] : $"[{string.Join(", ", texts)}]";
        var details = Details(name, group, kind);
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode?)new JsonObject
        {
            ["reason"] = c.Type,
            ["message"] = c.Message,
            ["field"] = c.Field,
        }).ToArray());
        return new ApiException(Status(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", details));
    }

    public static ApiException TooManyRequests(int retryAfter) =>
        new(Status(429, "TooManyRequests", "Too many requests, please try again later.",
            new JsonObject { ["retryAfterSeconds"] = retryAfter })) { RetryAfterSeconds = retryAfter };

    public static ApiException ServiceUnavailable(string message) =>
        new(Status(503, "ServiceUnavailable", message)) { RetryAfterSeconds = 1 };

    public static ApiException Timeout(string message) => new(Status(504, "Timeout", message)) { RetryAfterSeconds = 1 };
}
