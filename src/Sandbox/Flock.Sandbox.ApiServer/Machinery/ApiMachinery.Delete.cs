using System.Globalization;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Delete and deletecollection: preconditions, finalizers, propagation policies and graceful pod deletion.</summary>
internal sealed partial class ApiMachinery
{
    public (JsonObject Object, int Code) Delete(ApiResource r, string? ns, string name, DeleteOptions d, WriteOptions o)
    {
        ns = r.Namespaced ? ns : null;
        var table = _store.Table(r);
        var key = StoredObject.Key2(ns, name);
        if (!o.Internal) _faults.BeforeWrite(r, name, o.User.Name);
        if (d.DryRun) o = o with { DryRun = true };
        var policy = d.PropagationPolicy ?? "Background";
        if (policy is not ("Background" or "Foreground" or "Orphan"))
        {
            throw Errors.Invalid("DeleteOptions", "meta.k8s.io", "", [("propagationPolicy", "FieldValueNotSupported",
                $"Unsupported value: \"{policy}\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"")]);
        }

        while (true)
        {
            var current = table.Get(ns, name) ?? throw Errors.NotFound(r.Group, r.Plural, name);
            if (d.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
            {
                throw Errors.Conflict(r.Group, r.Plural, name, $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
            }

            if (d.PreconditionResourceVersion is { Length: > 0 } prv && prv != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                throw Errors.Conflict(r.Group, r.Plural, name,
                    $"Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {current.ResourceVersion}");
            }

            var obj = ForVersion(r, current.CloneObject());
            var meta = Json.Meta(obj);
            var finalizers = Json.StringList(meta["finalizers"]);
            var changed = false;
            if (policy == "Orphan" && !finalizers.Contains("orphan"))
            {
                finalizers.Remove("foregroundDeletion");
                finalizers.Add("orphan");
                changed = true;
            }
            else if (policy == "Foreground" && !finalizers.Contains("foregroundDeletion"))
            {
                finalizers.Remove("orphan");
                finalizers.Add("foregroundDeletion");
                changed = true;
            }

            var namespaceFinalizers = r.Kind == "Namespace" && Json.StringList(obj["spec"]?["finalizers"]).Count > 0;
            var alreadyDeleting = Json.Str(meta, "deletionTimestamp") is not null;
            if (r.Kind == "Pod" && GracefulPodDeletion && PodGracePeriod(obj, d) is > 0 and var period)
            {
                // A scheduled, running pod is deleted gracefully: the kubelet (simulated) ends it and then
                // deletes it with gracePeriodSeconds=0. A later delete may only shorten the period.
                var current0 = Json.Long(meta, "deletionGracePeriodSeconds");
                if (alreadyDeleting && current0 is { } p0 && p0 <= period && !changed) return (obj, 200);
                meta["deletionTimestamp"] = Json.Rfc3339(Now.AddSeconds(period));
                meta["deletionGracePeriodSeconds"] = period;
                meta.Remove("finalizers");
                if (finalizers.Count > 0) meta["finalizers"] = Json.Array(finalizers);
                if (o.DryRun) return (obj, 200);
                var graceful = table.Update(key, current.ResourceVersion, obj);
                if (graceful is null) continue;
                Signal();
                return (ForVersion(r, graceful.CloneObject()), 200);
            }

            if (finalizers.Count > 0 || namespaceFinalizers)
            {
                if (alreadyDeleting && !changed) return (obj, 200);
                if (!alreadyDeleting)
                {
                    meta["deletionTimestamp"] = Json.Rfc3339(Now);
                    meta["deletionGracePeriodSeconds"] = 0;
                }

                meta.Remove("finalizers");
                if (finalizers.Count > 0) meta["finalizers"] = Json.Array(finalizers);
                if (r.Kind == "Namespace") Json.Obj(obj, "status")["phase"] = "Terminating";
                if (o.DryRun) return (obj, 200);
                var updated = table.Update(key, current.ResourceVersion, obj);
                if (updated is null) continue;
                Signal();
                return (ForVersion(r, updated.CloneObject()), 200);
            }

            if (o.DryRun) return (ReturnsDeletedObject(r) ? obj : Errors.Success(Errors.Details(name, r.Group, r.Plural, current.Uid)), 200);
            var removed = table.Delete(key, current.ResourceVersion);
            if (removed is null) continue;
            OnDeleted(r, removed);
            return (ReturnsDeletedObject(r) ? obj : Errors.Success(Errors.Details(name, r.Group, r.Plural, current.Uid)), 200);
        }
    }

    /// <summary>When true (the default), pods bound to a node are deleted gracefully as by the real pod strategy.</summary>
    public bool GracefulPodDeletion { get; init; } = true;

    /// <summary>The pod strategy's CheckGracefulDelete: 0 for unscheduled or finished pods.</summary>
    private static long PodGracePeriod(JsonObject pod, DeleteOptions d)
    {
        var period = d.GracePeriodSeconds ?? Json.Long(pod["spec"], "terminationGracePeriodSeconds") ?? 0;
        if (string.IsNullOrEmpty(Json.Path(pod, "spec", "nodeName"))) period = 0;
        if (Json.Path(pod, "status", "phase") is "Failed" or "Succeeded") period = 0;
        return period < 0 ? 1 : period;
    }

    private static bool ReturnsDeletedObject(ApiResource r) => r.Kind is "Pod" or "ServiceAccount";

    private void OnDeleted(ApiResource r, StoredObject removed)
    {
        _ = r;
        _ = removed;
        Signal();
    }

    public JsonObject DeleteCollection(ApiResource r, string? ns, ListOptions lo, DeleteOptions d, WriteOptions o)
    {
        var list = List(r, ns, lo with { Limit = 0, Continue = null });
        var items = new JsonArray();
        foreach (var item in list.Items)
        {
            try
            {
                var (obj, _) = Delete(r, item.Namespace, item.Name, d, o);
                items.Add(Json.Str(obj, "kind") == "Status" ? item.CloneObject() : obj);
            }
            catch (ApiException e) when (e.Code == 404)
            {
            }
        }

        return new JsonObject
        {
            ["kind"] = r.ListKindName,
            ["apiVersion"] = r.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = _store.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
            ["items"] = items,
        };
    }
}
