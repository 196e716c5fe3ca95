using System.Text.Json.Nodes;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.ApiServer.Seams;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>The subresources with their own shapes: deployments' scale and namespaces' finalize.</summary>
internal sealed partial class ApiHandler
{
    /// <summary>The scale subresource (autoscaling/v1 Scale) of deployments and replica sets.</summary>
    private async Task ScaleAsync(HttpContext ctx, RequestInfo info, string verb, WriteOptions o)
    {
        var r = info.Resource;
        var current = ApiMachinery.ForVersion(r, _m.Get(r, info.Namespace, info.Name!).CloneObject());
        JsonObject result;
        switch (verb)
        {
            case "get":
                result = current;
                break;
            case "update" or "patch":
                {
                    JsonObject desired;
                    if (verb == "update")
                    {
                        desired = await ReadObjectAsync(ctx).ConfigureAwait(false);
                    }
                    else
                    {
                        var (type, patch) = await ReadPatchAsync(ctx).ConfigureAwait(false);
                        var scale = ToScale(current);
                        desired = type switch
                        {
                            "json" => Patches.JsonPatch(scale, patch),
                            "apply" => Patches.MergePatch(scale, patch),
                            _ => Patches.MergePatch(scale, patch),
                        };
                    }

                    var rv = Json.Path(desired, "metadata", "resourceVersion");
                    var replicas = Json.Long(desired["spec"], "replicas") ?? 0;
                    var change = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
                    if (!string.IsNullOrEmpty(rv)) change["metadata"] = new JsonObject { ["resourceVersion"] = rv };
                    (result, _) = _m.Patch(r, info.Namespace, info.Name!, "", "merge", change, o);
                    break;
                }

            default:
                throw Errors.MethodNotAllowed();
        }

        await WriteJsonAsync(ctx, 200, ToScale(result)).ConfigureAwait(false);
    }

    private static JsonObject ToScale(JsonObject obj)
    {
        var meta = Json.Meta(obj);
        var labels = obj["spec"]?["selector"]?["matchLabels"] as JsonObject;
        var status = new JsonObject { ["replicas"] = Json.Long(obj["status"], "replicas") ?? 0 };
        if (labels is not null) status["selector"] = string.Join(",", labels.Select(kv => $"{kv.Key}={Json.ScalarText((JsonValue)kv.Value!)}"));
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = meta["name"]?.DeepClone(),
                ["namespace"] = meta["namespace"]?.DeepClone(),
                ["uid"] = meta["uid"]?.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]?.DeepClone(),
                ["creationTimestamp"] = meta["creationTimestamp"]?.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = Json.Long(obj["spec"], "replicas") ?? 0 },
            ["status"] = status,
        };
    }

    private JsonObject Finalize(RequestInfo info, JsonObject body, WriteOptions o)
    {
        var finalizers = body["spec"]?["finalizers"]?.DeepClone() ?? new JsonArray();
        return _m.SetNamespaceFinalizers(info.Name!, finalizers, o);
    }
}
