using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;

namespace Flock.ApiModel.Tests;

public class StatusErrorsTests
{
    private static readonly JsonSerializerOptions Plain = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Json(JsonObject status) => status.ToJsonString(Plain);

    [Fact]
    public void Not_found_names_the_group_resource_and_object()
    {
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"flocktrainingnodes.flock.io \"t1\" not found","reason":"NotFound","details":{"name":"t1","group":"flock.io","kind":"flocktrainingnodes"},"code":404}""",
            Json(StatusErrors.NotFound("flock.io", "flocktrainingnodes", "t1")));
        Assert.Equal("""pods "p" not found""", StatusErrors.NotFound("", "pods", "p")["message"]!.GetValue<string>());
        Assert.Equal("""{"name":"p","kind":"pods"}""", StatusErrors.NotFound("", "pods", "p")["details"]!.ToJsonString());
    }

    [Fact]
    public void Already_exists_and_conflict_are_409()
    {
        var exists = StatusErrors.AlreadyExists("apps", "deployments", "web");
        Assert.Equal("deployments.apps \"web\" already exists", exists["message"]!.GetValue<string>());
        Assert.Equal("AlreadyExists", exists["reason"]!.GetValue<string>());
        Assert.Equal(409, StatusErrors.CodeOf(exists));

        var conflict = StatusErrors.Conflict("flock.io", "flockvalidators", "v");
        Assert.Equal("Operation cannot be fulfilled on flockvalidators.flock.io \"v\": the object has been modified; please apply your changes to the latest version and try again",
            conflict["message"]!.GetValue<string>());
        Assert.Equal("Conflict", conflict["reason"]!.GetValue<string>());
        Assert.Equal(409, StatusErrors.CodeOf(conflict));
    }

    [Fact]
    public void Expired_watch_is_410_with_both_versions()
    {
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"too old resource version: 5 (120)","reason":"Expired","code":410}""",
            Json(StatusErrors.Expired("5", "120")));
        Assert.Equal("Gone", StatusErrors.Gone("gone")["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(400, "BadRequest")]
    [InlineData(401, "Unauthorized")]
    [InlineData(405, "MethodNotAllowed")]
    [InlineData(406, "NotAcceptable")]
    [InlineData(415, "UnsupportedMediaType")]
    [InlineData(422, "Invalid")]
    [InlineData(429, "TooManyRequests")]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServiceUnavailable")]
    [InlineData(504, "Timeout")]
    public void Every_error_carries_its_code_and_reason(int code, string reason)
    {
        JsonObject status = code switch
        {
            400 => StatusErrors.BadRequest("bad"),
            401 => StatusErrors.Unauthorized(),
            405 => StatusErrors.MethodNotAllowed("", "pods", "watch"),
            406 => StatusErrors.NotAcceptable(["application/json"]),
            415 => StatusErrors.UnsupportedMediaType(["application/json", "application/yaml"]),
            422 => StatusErrors.Invalid("apps", "Deployment", "web", [new StatusCause("FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than or equal to 0")]),
            429 => StatusErrors.TooManyRequests(),
            500 => StatusErrors.InternalError("boom"),
            503 => StatusErrors.ServiceUnavailable("starting"),
            _ => StatusErrors.Timeout("slow"),
        };

        Assert.Equal(code, StatusErrors.CodeOf(status));
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Messages_match_the_apiserver_wording()
    {
        Assert.Equal("Unauthorized", StatusErrors.Unauthorized()["message"]!.GetValue<string>());
        Assert.Equal("watch is not supported on resources of kind \"selfsubjectaccessreviews.authorization.k8s.io\"",
            StatusErrors.MethodNotAllowed("authorization.k8s.io", "selfsubjectaccessreviews", "watch")["message"]!.GetValue<string>());
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json, application/yaml",
            StatusErrors.UnsupportedMediaType(["application/json", "application/yaml"])["message"]!.GetValue<string>());
        Assert.Equal("""{"message":"Internal error occurred: boom","reason":"InternalError","details":{"causes":[{"message":"boom"}]},"code":500}""",
            Json(Tail(StatusErrors.InternalError("boom"))));
        Assert.Equal("""{"retryAfterSeconds":1}""", StatusErrors.TooManyRequests()["details"]!.ToJsonString());
        var invalid = StatusErrors.Invalid("apps", "Deployment", "web", [new StatusCause("FieldValueInvalid", "spec.replicas", "Invalid value: -1: must be greater than or equal to 0")]);
        Assert.Equal("Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0", invalid["message"]!.GetValue<string>());
        Assert.Equal("spec.replicas", invalid["details"]!["causes"]![0]!["field"]!.GetValue<string>());
    }

    [Fact]
    public void Success_status_has_no_code_or_reason()
    {
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success"}""", Json(StatusErrors.Success()));
    }

    private static JsonObject Tail(JsonObject status)
    {
        var copy = (JsonObject)status.DeepClone();
        foreach (var key in new[] { "kind", "apiVersion", "metadata", "status" })
        {
            copy.Remove(key);
        }

        return copy;
    }
}
