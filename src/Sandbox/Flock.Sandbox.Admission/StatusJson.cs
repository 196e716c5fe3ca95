using System.Text.Json.Nodes;
using k8s.Models;

namespace Flock.Sandbox.Admission;

/// <summary>
/// Writes a V1Status the way the apiserver does: KubernetesJson cannot serialize V1Status (its converter only
/// reads), and clients expect Go's field order and omitempty rules ("metadata": {} always present).
/// </summary>
public static class StatusJson
{
    public static JsonObject ToJson(V1Status status)
    {
        var json = new JsonObject
        {
            ["kind"] = status.Kind ?? "Status",
            ["apiVersion"] = status.ApiVersion ?? "v1",
            ["metadata"] = ListMeta(status.Metadata),
        };
        AddIfSet(json, "status", status.Status);
        AddIfSet(json, "message", status.Message);
        AddIfSet(json, "reason", status.Reason);
        if (status.Details is { } details)
        {
            json["details"] = Details(details);
        }

        if (status.Code is { } code and not 0)
        {
            json["code"] = code;
        }

        return json;
    }

    private static JsonObject ListMeta(V1ListMeta? meta)
    {
        var json = new JsonObject();
        AddIfSet(json, "resourceVersion", meta?.ResourceVersion);
        AddIfSet(json, "continue", meta?.ContinueProperty);
        if (meta?.RemainingItemCount is { } remaining)
        {
            json["remainingItemCount"] = remaining;
        }

        return json;
    }

    private static JsonObject Details(V1StatusDetails details)
    {
        var json = new JsonObject();
        AddIfSet(json, "name", details.Name);
        AddIfSet(json, "group", details.Group);
        AddIfSet(json, "kind", details.Kind);
        AddIfSet(json, "uid", details.Uid);
        if (details.Causes is { Count: > 0 } causes)
        {
            var array = new JsonArray();
            foreach (var cause in causes)
            {
                var c = new JsonObject();
                AddIfSet(c, "reason", cause.Reason);
                AddIfSet(c, "message", cause.Message);
                AddIfSet(c, "field", cause.Field);
                array.Add(c);
            }

            json["causes"] = array;
        }

        if (details.RetryAfterSeconds is { } retry and not 0)
        {
            json["retryAfterSeconds"] = retry;
        }

        return json;
    }

    private static void AddIfSet(JsonObject json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json[name] = value;
        }
    }
}
