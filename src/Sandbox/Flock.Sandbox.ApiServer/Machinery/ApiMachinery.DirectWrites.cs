using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Writes that bypass the update strategy: pods/binding, namespaces/finalize and controllers' internal updates.</summary>
internal sealed partial class ApiMachinery
{
    private static readonly ApiResource PodsResource = BuiltinResources.Find("", "pods")!;

    /// <summary>
    /// POST pods/{name}/binding (what the scheduler does): sets spec.nodeName once, merges the binding's
    /// annotations and records the PodScheduled=True condition, as BindingREST.setPodHostAndAnnotations.
    /// </summary>
    public void BindPod(string ns, string name, JsonObject binding, WriteOptions o)
    {
        var target = binding["target"] as JsonObject;
        var node = Json.Str(target, "name") ?? "";
        var kind = Json.Str(target, "kind") ?? "";
        if (node.Length == 0 || (kind.Length > 0 && kind != "Node"))
        {
            throw Errors.Invalid("Binding", "", Json.Path(binding, "metadata", "name") ?? name,
                [(node.Length == 0 ? "target.name" : "target.kind", node.Length == 0 ? "FieldValueRequired" : "FieldValueNotSupported",
                    node.Length == 0 ? "Required value" : $"Unsupported value: \"{kind}\": supported values: \"Node\", \"\"")]);
        }

        if (!o.Internal) _faults.BeforeWrite(PodsResource, name, o.User.Name);
        UpdateInternal(PodsResource, ns, name, o, pod =>
        {
            var meta = Json.Meta(pod);
            if (Json.Str(meta, "deletionTimestamp") is not null)
            {
                throw Errors.Conflict("", "pods/binding", name, $"pod {name} is being deleted, cannot be assigned to a host");
            }

            var spec = Json.Obj(pod, "spec");
            if (Json.Str(spec, "nodeName") is { Length: > 0 } bound)
            {
                throw Errors.Conflict("", "pods/binding", name, $"pod {name} is already assigned to node \"{bound}\"");
            }

            spec["nodeName"] = node;
            if (binding["metadata"]?["annotations"] is JsonObject annotations)
            {
                var existing = Json.Obj(meta, "annotations");
                foreach (var (k, v) in annotations) existing[k] = v?.DeepClone();
            }

            var status = Json.Obj(pod, "status");
            var conditions = status["conditions"] as JsonArray ?? [];
            var kept = new JsonArray(conditions.OfType<JsonObject>().Where(c => Json.Str(c, "type") != "PodScheduled")
                .Select(c => (JsonNode?)c.DeepClone()).ToArray());
            kept.Add(new JsonObject
            {
                ["type"] = "PodScheduled",
                ["status"] = "True",
                ["lastProbeTime"] = null,
                ["lastTransitionTime"] = Json.Rfc3339(Now),
            });
            status["conditions"] = kept;
        });
    }

    /// <summary>PUT namespaces/{name}/finalize: replaces spec.finalizers (the namespace controller's last step).</summary>
    public JsonObject SetNamespaceFinalizers(string name, JsonNode finalizers, WriteOptions o) =>
        UpdateInternal(NamespacesResource, null, name, o, obj => Json.Obj(obj, "spec")["finalizers"] = finalizers.DeepClone());

    /// <summary>
    /// Applies <paramref name="change"/> to the stored object directly (no strategy: for controllers
    /// that own server-side fields such as status conditions, finalizers and ownerReferences), retrying
    /// on races; removes the object when it is being deleted and has no finalizers left.
    /// </summary>
    public JsonObject UpdateInternal(ApiResource r, string? ns, string name, WriteOptions o, Action<JsonObject> change)
    {
        var table = _store.Table(r);
        var key = StoredObject.Key2(ns, name);
        while (true)
        {
            var current = table.Get(ns, name) ?? throw Errors.NotFound(r.Group, r.Plural, name);
            var next = current.CloneObject();
            change(next);
            if (Json.DeepEquals(next, current.Object)) return next;
            var meta = Json.Meta(next);
            if (Json.Str(meta, "deletionTimestamp") is not null && Json.StringList(meta["finalizers"]).Count == 0 &&
                !(r.Kind == "Namespace" && Json.StringList(next["spec"]?["finalizers"]).Count > 0))
            {
                if (o.DryRun) return next;
                if (table.Delete(key, current.ResourceVersion) is null) continue;
                OnDeleted(r, current);
                return next;
            }

            if (o.DryRun) return next;
            var stored = table.Update(key, current.ResourceVersion, next);
            if (stored is not null) return stored.CloneObject();
        }
    }
}
