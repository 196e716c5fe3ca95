using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The meta/v1 Status bodies the apiserver answers errors with, with the exact messages of
/// k8s.io/apimachinery/pkg/api/errors. Each returns a fresh <see cref="JsonObject"/> whose
/// <c>code</c> is also the HTTP status to send.
/// </summary>
public static class StatusErrors
{
    /// <summary>The message a Conflict carries when a resourceVersion precondition fails.</summary>
    public const string ObjectModifiedMessage = "the object has been modified; please apply your changes to the latest version and try again";

    /// <summary>404: <c>deployments.apps "web" not found</c>.</summary>
    public static JsonObject NotFound(string group, string resource, string name) =>
        Build(404, "NotFound", $"{Qualified(resource, group)} \"{name}\" not found", Details(name, group, resource));

    /// <summary>404 for a path that names no resource at all (the apiserver's plain "404 page not found" is text, this is the Status form).</summary>
    public static JsonObject NotFoundPath(string message = "the server could not find the requested resource") =>
        Build(404, "NotFound", message, new JsonObject());

    /// <summary>409: <c>pods "web" already exists</c>.</summary>
    public static JsonObject AlreadyExists(string group, string resource, string name) =>
        Build(409, "AlreadyExists", $"{Qualified(resource, group)} \"{name}\" already exists", Details(name, group, resource));

    /// <summary>409 Conflict; <paramref name="cause"/> defaults to the stale resourceVersion message.</summary>
    public static JsonObject Conflict(string group, string resource, string name, string cause = ObjectModifiedMessage) =>
        Build(409, "Conflict", $"Operation cannot be fulfilled on {Qualified(resource, group)} \"{name}\": {cause}", Details(name, group, resource));

    /// <summary>410 Expired, as a watch or list from a compacted resourceVersion gets: <c>too old resource version: 5 (120)</c>.</summary>
    public static JsonObject Expired(string requestedResourceVersion, string currentResourceVersion) =>
        Build(410, "Expired", $"too old resource version: {requestedResourceVersion} ({currentResourceVersion})", null);

    /// <summary>410 with reason Gone (the older form some paths still use).</summary>
    public static JsonObject Gone(string message) => Build(410, "Gone", message, null);

    /// <summary>400 BadRequest with the given message.</summary>
    public static JsonObject BadRequest(string message) => Build(400, "BadRequest", message, null);

    /// <summary>405: <c>deployments.apps is not supported on resources of kind "deletecollection"</c> style.</summary>
    public static JsonObject MethodNotAllowed(string group, string resource, string action) =>
        Build(405, "MethodNotAllowed", $"{action} is not supported on resources of kind \"{Qualified(resource, group)}\"",
            Details("", group, resource));

    /// <summary>406 NotAcceptable for an Accept header the server cannot produce.</summary>
    public static JsonObject NotAcceptable(IEnumerable<string> accepted) =>
        Build(406, "NotAcceptable", "only the following media types are accepted: " + string.Join(", ", accepted), null);

    /// <summary>415 for a request body in a content type the server cannot decode.</summary>
    public static JsonObject UnsupportedMediaType(IEnumerable<string> accepted) =>
        Build(415, "UnsupportedMediaType",
            "the body of the request was in an unknown format - accepted media types include: " + string.Join(", ", accepted), null);

    /// <summary>401 as the authentication filter sends it.</summary>
    public static JsonObject Unauthorized(string message = "Unauthorized") => Build(401, "Unauthorized", message, null);

    /// <summary>403 with a ready-made message; RBAC denials come from <see cref="ForbiddenStatus"/>.</summary>
    public static JsonObject Forbidden(string group, string resource, string name, string message) =>
        Build(403, "Forbidden", message, Details(name, group, resource));

    /// <summary>429 as API priority and fairness sends it.</summary>
    public static JsonObject TooManyRequests(string message = "Too many requests, please try again later.", int retryAfterSeconds = 1) =>
        Build(429, "TooManyRequests", message, new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds });

    /// <summary>500: <c>Internal error occurred: …</c> with the cause repeated in details.causes.</summary>
    public static JsonObject InternalError(string error) =>
        Build(500, "InternalError", $"Internal error occurred: {error}",
            new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = error }) });

    /// <summary>503 ServiceUnavailable.</summary>
    public static JsonObject ServiceUnavailable(string message) => Build(503, "ServiceUnavailable", message, null);

    /// <summary>504 Timeout.</summary>
    public static JsonObject Timeout(string message, int retryAfterSeconds = 0) =>
        Build(504, "Timeout", message, retryAfterSeconds > 0 ? new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds } : null);

    /// <summary>
    /// 422 Invalid: <c>Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0</c>.
    /// Each cause is (reason like FieldValueInvalid, field like spec.replicas, message without the field prefix).
    /// </summary>
    public static JsonObject Invalid(string group, string kind, string name, IReadOnlyList<StatusCause> causes)
    {
        var qualifiedKind = group.Length == 0 ? kind : $"{kind}.{group}";
        var messages = causes.Select(c => c.Field.Length == 0 ? c.Message : $"{c.Field}: {c.Message}").ToList();
        var aggregate = messages.Count == 1 ? messages[0] : "[" + string.Join(", ", messages) + "]";
        var details = new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = kind };
        if (causes.Count > 0)
        {
            details["causes"] = new JsonArray(causes.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = c.Reason,
                ["message"] = c.Message,
                ["field"] = c.Field,
            }).ToArray());
        }

        return Build(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {aggregate}", details);
    }

    /// <summary>The success Status a DELETE of a collection or some subresources answer with.</summary>
    public static JsonObject Success(JsonObject? details = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        return status;
    }

    /// <summary>The HTTP status code a Status body carries.</summary>
    public static int CodeOf(JsonObject status) => status["code"]?.GetValue<int>() ?? 200;

    /// <summary>group/resource as the apiserver prints it: pods, deployments.apps.</summary>
    public static string Qualified(string resource, string group) => group.Length == 0 ? resource : $"{resource}.{group}";

    internal static JsonObject Details(string name, string group, string resource)
    {
        var details = new JsonObject();
        if (name.Length > 0)
        {
            details["name"] = name;
        }

        if (group.Length > 0)
        {
            details["group"] = group;
        }

        if (resource.Length > 0)
        {
            details["kind"] = resource;
        }

        return details;
    }

    internal static JsonObject Build(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
        };
        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }
}

/// <summary>One entry of a Status's details.causes.</summary>
public sealed record StatusCause(string Reason, string Field, string Message);
