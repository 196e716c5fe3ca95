using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Patching;
using Flock.Sandbox.Patching.Apply;
using k8s;

namespace Flock.Sandbox.ApiServer.Seams;

/// <summary>The patch formats and managedFields bookkeeping, from Flock.Sandbox.Patching.</summary>
internal static class Patches
{
    private static readonly ConditionalWeakTable<ApiResource, ApplySchema> Schemas = new();

    public static ApplySchema SchemaFor(ApiResource r) => Schemas.GetValue(r, static res =>
    {
        if (res.IsCustom && res.Schema is not null)
        {
            var json = JsonNode.Parse(KubernetesJson.Serialize(res.Schema)) as JsonObject ?? new JsonObject();
            return ApplySchema.FromOpenApi(json, res.HasStatusSubresource);
        }

        return ApplySchema.Builtin(res.ApiVersion, res.Kind);
    });

    private static ApplySchema SchemaFor(ApiResource r, string subresource) =>
        subresource == "status" ? SchemaFor(r).WithResetFields("spec") : SchemaFor(r);

    private static ApiException ToApi(PatchException e) => e.StatusCode switch
    {
        400 => Errors.BadRequest(e.Message),
        415 => new ApiException(Errors.Status(415, "UnsupportedMediaType", e.Message)),
        409 => new ApiException(Errors.Status(409, "Conflict", e.Message)),
        _ => new ApiException(Errors.Status(e.StatusCode, e.StatusCode == 422 ? "Invalid" : "", e.Message)),
    };

    public static JsonObject MergePatch(JsonObject original, JsonNode patch)
    {
        if (patch is not JsonObject) throw Errors.BadRequest("json: cannot unmarshal into Go value of type map[string]interface {}");
        try
        {
            return JsonMergePatch.Apply(original, patch) as JsonObject ?? throw Errors.BadRequest("merge patch did not produce an object");
        }
        catch (PatchException e)
        {
            throw ToApi(e);
        }
    }

    public static JsonObject StrategicMergePatch(JsonObject original, JsonNode patch, string apiVersion, string kind)
    {
        if (patch is not JsonObject) throw Errors.BadRequest("json: cannot unmarshal into Go value of type map[string]interface {}");
        try
        {
            return Patching.StrategicMergePatch.Apply(original, patch, BuiltinPatchMeta.For(apiVersion, kind)) as JsonObject
                ?? throw Errors.BadRequest("strategic merge patch did not produce an object");
        }
        catch (PatchException e)
        {
            throw ToApi(e);
        }
    }

    public static JsonObject JsonPatch(JsonObject original, JsonNode patch)
    {
        if (patch is not JsonArray ops) throw Errors.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        try
        {
            return Patching.JsonPatch.Apply(original, ops) as JsonObject ?? throw new ApiException(Errors.Status(422, "Invalid", "patch result is not an object"));
        }
        catch (PatchException e)
        {
            throw ToApi(e);
        }
    }

    /// <summary>Server-side apply; 409 with the apiserver's conflict message unless forced.</summary>
    public static JsonObject ServerSideApply(ApiResource r, JsonObject? live, JsonObject applied, string manager, bool force, string subresource, DateTimeOffset now)
    {
        ApplyOutcome outcome;
        try
        {
            outcome = Patching.Apply.ServerSideApply.Apply(live, applied, manager, force, SchemaFor(r, subresource), now,
                subresource.Length == 0 ? null : subresource);
        }
        catch (PatchException e)
        {
            throw ToApi(e);
        }

        if (outcome.Succeeded) return outcome.Object!;
        var name = Json.Path(live, "metadata", "name") ?? Json.Path(applied, "metadata", "name") ?? "";
        var details = Errors.Details(name, r.Group, r.Plural);
        details["causes"] = new JsonArray(outcome.Conflicts.Select(c => (JsonNode?)new JsonObject
        {
            ["reason"] = "FieldManagerConflict",
            ["message"] = $"conflict with {c.ManagerDescription}",
            ["field"] = c.FieldPath,
        }).ToArray());
        throw new ApiException(Errors.Status(409, "Conflict", outcome.ConflictMessage, details));
    }

    /// <summary>Records a non-apply write in managedFields; returns the object to store.</summary>
    public static JsonObject RecordUpdate(ApiResource r, JsonObject? oldObj, JsonObject newObj, string manager, string subresource, DateTimeOffset now)
    {
        try
        {
            return ManagedFieldsTracker.RecordUpdate(oldObj, newObj, manager, "Update", r.ApiVersion, now, SchemaFor(r, subresource),
                subresource.Length == 0 ? null : subresource);
        }
        catch (PatchException e)
        {
            throw ToApi(e);
        }
    }
}
