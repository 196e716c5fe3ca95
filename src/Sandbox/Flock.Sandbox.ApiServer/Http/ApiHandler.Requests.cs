using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds.Serialization;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>Reads what a request carries: write, list and delete options from the query, and JSON, YAML, protobuf and patch bodies.</summary>
internal sealed partial class ApiHandler
{
    private static bool IsTrue(Microsoft.Extensions.Primitives.StringValues v) =>
        v.Count > 0 && (v[0] is "true" or "1" or "True");

    private static WriteOptions WriteOptionsFrom(IQueryCollection q, UserInfo user, string userAgent)
    {
        var dryRun = q["dryRun"];
        foreach (var d in dryRun)
        {
            if (d != "All") throw Errors.Invalid("CreateOptions", "meta.k8s.io", "", [("dryRun", "FieldValueNotSupported", $"Unsupported value: \"{d}\": supported values: \"All\"")]);
        }

        var validation = q["fieldValidation"].ToString();
        if (validation.Length > 0 && validation is not ("Strict" or "Warn" or "Ignore"))
        {
            throw Errors.BadRequest($"fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got \"{validation}\"");
        }

        var manager = q["fieldManager"].ToString();
        return new WriteOptions
        {
            DryRun = dryRun.Count > 0,
            FieldManager = manager.Length > 0 ? manager : null,
            DefaultManager = DefaultManager(userAgent),
            FieldValidation = validation.Length > 0 ? validation : "Warn",
            Force = IsTrue(q["force"]),
            User = user,
        };
    }

    private static string DefaultManager(string userAgent)
    {
        var s = userAgent.Split('/')[0].Trim();
        return s.Length == 0 ? "unknown" : s.Length > 128 ? s[..128] : s;
    }

    private static ListOptions ListOptionsFrom(IQueryCollection q)
    {
        long limit = 0;
        if (q["limit"].ToString() is { Length: > 0 } l && !long.TryParse(l, out limit)) throw Errors.BadRequest($"invalid limit: {l}");
        return new ListOptions
        {
            LabelSelector = q["labelSelector"].ToString(),
            FieldSelector = q["fieldSelector"].ToString(),
            Limit = Math.Max(0, limit),
            Continue = q["continue"].ToString(),
            ResourceVersion = q["resourceVersion"].ToString(),
            ResourceVersionMatch = q["resourceVersionMatch"].ToString(),
        };
    }

    private static async Task<DeleteOptions> DeleteOptionsFromAsync(HttpContext ctx, IQueryCollection q)
    {
        string? policy = q["propagationPolicy"].ToString() is { Length: > 0 } p ? p : null;
        long? grace = long.TryParse(q["gracePeriodSeconds"].ToString(), out var g) ? g : null;
        string? uid = null, rv = null;
        var dryRun = false;
        if (q["orphanDependents"].ToString() is "true") policy ??= "Orphan";
        var body = await ReadBodyAsync(ctx).ConfigureAwait(false);
        var options = body.Length == 0 ? null
            : MediaType(ctx) == "application/vnd.kubernetes.protobuf" ? ProtobufBodies.Decode(body)
            : ParseJson(body);
        if (options is JsonObject d)
        {
            policy = Json.Str(d, "propagationPolicy") ?? policy;
            if (d["orphanDependents"] is JsonValue ov && ov.TryGetValue<bool>(out var orphan)) policy ??= orphan ? "Orphan" : "Background";
            grace = Json.Long(d, "gracePeriodSeconds") ?? grace;
            uid = Json.Path(d, "preconditions", "uid");
            rv = Json.Path(d, "preconditions", "resourceVersion");
            dryRun = d["dryRun"] is JsonArray { Count: > 0 };
        }

        return new DeleteOptions { DryRun = dryRun, PropagationPolicy = policy, GracePeriodSeconds = grace, PreconditionUid = uid, PreconditionResourceVersion = rv };
    }

    // ------------------------------------------------------------- bodies

    private static async Task<byte[]> ReadBodyAsync(HttpContext ctx)
    {
        using var ms = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(ms, ctx.RequestAborted).ConfigureAwait(false);
        return ms.ToArray();
    }

    private static string MediaType(HttpContext ctx) =>
        (ctx.Request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    private static async Task<JsonObject> ReadObjectAsync(HttpContext ctx)
    {
        var body = await ReadBodyAsync(ctx).ConfigureAwait(false);
        var media = MediaType(ctx);
        JsonNode? node = media switch
        {
            "application/json" or "" or "*/*" => ParseJson(body),
            "application/yaml" or "application/x-yaml" or "text/yaml" => ParseYaml(body),
            "application/vnd.kubernetes.protobuf" => ProtobufBodies.Decode(body),
            _ => throw Errors.UnsupportedMediaType(media, ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]),
        };
        return node as JsonObject ?? throw Errors.BadRequest("Object 'Kind' is missing in the request body");
    }

    /// <summary>YAML bodies; JSON (which is YAML, and what kubectl sends for apply) is read as JSON.</summary>
    private static JsonNode? ParseYaml(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body).TrimStart('\uFEFF');
        if (text.TrimStart().StartsWith('{')) return ParseJson(body);
        try
        {
            return YamlToJson.Read(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw Errors.BadRequest($"error converting YAML to JSON: {e.Message}");
        }
    }

    private static JsonNode? ParseJson(byte[] body)
    {
        if (body.Length == 0) throw Errors.BadRequest("the body of the request was empty");
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw Errors.BadRequest($"the object provided is unrecognized: {e.Message}");
        }
    }

    private static async Task<(string Type, JsonNode Patch)> ReadPatchAsync(HttpContext ctx)
    {
        var body = await ReadBodyAsync(ctx).ConfigureAwait(false);
        var media = MediaType(ctx);
        var type = media switch
        {
            "application/merge-patch+json" => "merge",
            "application/json-patch+json" => "json",
            "application/strategic-merge-patch+json" => "strategic",
            "application/apply-patch+yaml" => "apply",
            _ => throw Errors.UnsupportedMediaType(media,
                ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml", "application/strategic-merge-patch+json"]),
        };
        JsonNode? node = type == "apply" ? ParseYaml(body) : ParseJson(body);
        return (type, node ?? throw Errors.BadRequest("the patch is empty"));
    }
}
