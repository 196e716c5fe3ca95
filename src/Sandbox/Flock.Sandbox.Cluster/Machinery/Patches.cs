using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>Helpers for the merge patches the loops send (status writes never need a resourceVersion).</summary>
internal static class Patches
{
    public static V1Patch Merge(object body) => new(KubernetesJson.Serialize(body), V1Patch.PatchType.MergePatch);

    /// <summary>
    /// A merge patch that makes .status exactly <paramref name="status"/>: a merge patch keeps fields it
    /// does not mention, so every field <paramref name="current"/> has and the new status lacks is set to
    /// null explicitly (arrays are replaced whole anyway).
    /// </summary>
    public static V1Patch Status(object status, object? current)
    {
        var next = JsonNode.Parse(KubernetesJson.Serialize(status)) as JsonObject ?? [];
        if (current is not null && JsonNode.Parse(KubernetesJson.Serialize(current)) is JsonObject cur) ClearMissing(next, cur);
        return new V1Patch(new JsonObject { ["status"] = next }.ToJsonString(), V1Patch.PatchType.MergePatch);
    }

    private static void ClearMissing(JsonObject next, JsonObject current)
    {
        foreach (var (key, value) in current)
        {
            if (!next.ContainsKey(key)) next[key] = null;
            else if (next[key] is JsonObject n && value is JsonObject c) ClearMissing(n, c);
        }
    }

    public static bool IsNotFound(Exception e) => e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound };

    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Conflict };

    public static int? Code(Exception e) => e is HttpOperationException h ? (int)h.Response.StatusCode : null;
}
