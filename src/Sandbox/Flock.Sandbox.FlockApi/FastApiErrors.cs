using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.FlockApi;

/// <summary>One entry of a FastAPI request-validation error: where (loc), what (msg) and the pydantic v1 type.</summary>
internal sealed record FieldError(JsonArray Loc, string Msg, string Type)
{
    public static FieldError Missing(params string[] loc) => new(At(loc), "field required", "value_error.missing");

    public static FieldError NotInteger(params string[] loc) => new(At(loc), "value is not a valid integer", "type_error.integer");

    public static FieldError NotDict(params string[] loc) => new(At(loc), "value is not a valid dict", "type_error.dict");

    public static FieldError NotString(params string[] loc) => new(At(loc), "str type expected", "type_error.str");

    private static JsonArray At(string[] parts) => new([.. parts.Select(p => (JsonNode)p)]);
}

/// <summary>
/// The error bodies a FastAPI app answers with, so a client that calls resp.json() on a failure (both validators do)
/// gets what it gets from the real API. HTTPException → {"detail": text} (fastapi/exception_handlers.py
/// http_exception_handler); request validation → 422 {"detail": [{loc, msg, type}]} (request_validation_exception_handler;
/// the pydantic v1 wording, as the simulator's GET /tasks/get already answered); an unrouted path is HTTPException(404)
/// and a known path with another method HTTPException(405) with an Allow header (encode/starlette
/// starlette/routing.py Router.not_found, Route.handle), whose detail defaults to the status phrase
/// (starlette/exceptions.py: http.HTTPStatus(status_code).phrase).
/// </summary>
internal static class FastApiErrors
{
    public static async Task DetailAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["detail"] = detail }, context.RequestAborted);
    }

    public static async Task InvalidAsync(HttpContext context, IReadOnlyCollection<FieldError> errors)
    {
        context.Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        var list = new JsonArray([.. errors.Select(e => (JsonNode)new JsonObject { ["loc"] = e.Loc, ["msg"] = e.Msg, ["type"] = e.Type })]);
        await context.Response.WriteAsJsonAsync(new JsonObject { ["detail"] = list }, context.RequestAborted);
    }

    /// <summary>Fills a body-less error answer (ASP.NET's own 404 and 405) the way Starlette's HTTPException does.</summary>
    public static async Task FillEmptyAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        await DetailAsync(context, status, Phrase(status));
    }

    // Python's http.HTTPStatus phrases for the codes the routing produces; they equal ASP.NET's for these.
    private static string Phrase(int status) => status switch
    {
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
