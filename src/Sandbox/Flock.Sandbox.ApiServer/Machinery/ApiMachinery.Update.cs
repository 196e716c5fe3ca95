using System.Globalization;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Seams;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Update and patch: optimistic concurrency, the status subresource, generation and the four patch formats.</summary>
internal sealed partial class ApiMachinery
{
    /// <summary>PUT: replaces the object (or its status), honouring metadata.resourceVersion as a precondition.</summary>
    public JsonObject Update(ApiResource r, string? ns, string name, string subresource, JsonObject body, WriteOptions o)
    {
        ns = r.Namespaced ? ns : null;
        var incoming = Json.Clone(body);
        CheckKind(r, incoming);
        var meta = Json.Meta(incoming);
        var bodyName = Json.Str(meta, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw Errors.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var bodyNs = Json.Str(meta, "namespace");
        if (r.Namespaced && !string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
        {
            throw Errors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        var requested = Json.Str(meta, "resourceVersion");
        if (string.IsNullOrEmpty(requested) && r.IsCustom)
        {
            throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update")]);
        }

        return GuaranteedUpdate(r, ns, name, subresource, o, "Update", requested, _ => Json.Clone(incoming)).Object;
    }

    /// <summary>PATCH in one of the four patch formats; apply creates a missing object.</summary>
    public (JsonObject Object, int Code) Patch(ApiResource r, string? ns, string name, string subresource, string patchType, JsonNode patch, WriteOptions o)
    {
        ns = r.Namespaced ? ns : null;
        var isApply = patchType == "apply";
        if (isApply && string.IsNullOrEmpty(o.FieldManager))
        {
            throw Errors.Invalid("PatchOptions", "meta.k8s.io", "", [("fieldManager", "FieldValueRequired", "Required value: is required for apply patch")]);
        }

        if (patchType == "strategic" && r.IsCustom)
        {
            throw Errors.UnsupportedMediaType("application/strategic-merge-patch+json",
                ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]);
        }

        if (isApply)
        {
            if (patch is not JsonObject applied) throw Errors.BadRequest("error decoding YAML: apply patch must be an object");
            var table = _store.Table(r);
            if (table.Get(ns, name) is null && subresource.Length == 0)
            {
                var appliedMeta = Json.Meta(applied);
                if (Json.Str(appliedMeta, "name") is { } n && n != name)
                {
                    throw Errors.BadRequest($"the name of the object ({n}) does not match the name on the URL ({name})");
                }

                var toApply = Json.Clone(applied);
                Json.Meta(toApply)["name"] = name;
                var created = Patches.ServerSideApply(r, null, toApply, o.FieldManager!, o.Force, "", Now);
                Json.Meta(created)["name"] = name;
                try
                {
                    var (obj, _) = Create(r, ns, created, o, true);
                    // Managed fields of an apply are recorded as an Apply operation.
                    return (obj, 201);
                }
                catch (ApiException e) when (e.Code == 409 && Json.Str(e.Status, "reason") == "AlreadyExists")
                {
                    // Lost a race with a create: fall through to the update path.
                }
            }
        }

        var op = isApply ? "Apply" : "Update";
        o = o with { IsPatch = true };
        var result = GuaranteedUpdate(r, ns, name, subresource, o, op, null, current => patchType switch
        {
            "merge" => Patches.MergePatch(current, patch),
            "json" => Patches.JsonPatch(current, patch),
            "strategic" => Patches.StrategicMergePatch(current, patch, r.ApiVersion, r.Kind),
            "apply" => Patches.ServerSideApply(r, current, (JsonObject)patch, o.FieldManager!, o.Force, subresource, Now),
            _ => throw Errors.UnsupportedMediaType(patchType, ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]),
        });
        return (result.Object, 200);
    }

    private (JsonObject Object, bool Deleted) GuaranteedUpdate(ApiResource r, string? ns, string name, string subresource, WriteOptions o,
        string operation, string? requestedRv, Func<JsonObject, JsonObject> transform)
    {
        var table = _store.Table(r);
        var key = StoredObject.Key2(ns, name);
        if (!o.Internal) _faults.BeforeWrite(r, name, o.User.Name);
        for (var attempt = 0; ; attempt++)
        {
            var current = table.Get(ns, name) ?? throw Errors.NotFound(r.Group, r.Plural, name);
            var currentObj = ForVersion(r, current.CloneObject());
            var incoming = transform(Json.Clone(currentObj));
            CheckKind(r, incoming);
            var rvText = requestedRv ?? Json.Path(incoming, "metadata", "resourceVersion");
            if (!string.IsNullOrEmpty(rvText) && rvText != current.ResourceVersion.ToString(CultureInfo.InvariantCulture))
            {
                if (!long.TryParse(rvText, out _))
                {
                    throw Errors.BadRequest($"invalid resource version: {rvText}");
                }

                throw Errors.Conflict(r.Group, r.Plural, name, Errors.ModifiedMessage);
            }

            var next = PrepareUpdate(r, currentObj, incoming, subresource, o, operation);
            var nextMeta = Json.Meta(next);
            if (Json.Str(nextMeta, "deletionTimestamp") is not null && Json.StringList(nextMeta["finalizers"]).Count == 0 &&
                !(r.Kind == "Namespace" && Json.StringList(next["spec"]?["finalizers"]).Count > 0))
            {
                // The last finalizer is gone: the update becomes the deletion (errEmptiedFinalizers in the registry).
                if (o.DryRun) return (next, true);
                if (table.Delete(key, current.ResourceVersion) is null) continue;

                OnDeleted(r, current);
                return (next, true);
            }

            if (o.DryRun) return (next, false);
            if (Json.DeepEquals(Strip(next), Strip(currentObj)))
            {
                // A no-op update writes nothing and keeps the resource version, as the registry does.
                return (currentObj, false);
            }

            var stored = table.Update(key, current.ResourceVersion, next);
            if (stored is not null)
            {
                if (Json.Path(next, "metadata", "deletionTimestamp") is not null) Signal();
                return (ForVersion(r, stored.CloneObject()), false);
            }

            // Lost a race: the next round sees the new version (and a PUT's stale resourceVersion conflicts there).
        }
    }

    private static JsonObject Strip(JsonObject o)
    {
        var c = Json.Clone(o);
        var m = Json.Meta(c);
        m.Remove("managedFields");
        m.Remove("resourceVersion");
        return c;
    }

    private JsonObject PrepareUpdate(ApiResource r, JsonObject current, JsonObject incoming, string subresource, WriteOptions o, string operation)
    {
        JsonObject next;
        var curMeta = Json.Meta(current);
        if (subresource == "status")
        {
            next = Json.Clone(current);
            next.Remove("status");
            if (incoming["status"] is { } status) next["status"] = status.DeepClone();
            // Status writes keep the managedFields the request carried (the tracker updates them below).
        }
        else
        {
            next = incoming;
            var meta = Json.Meta(next);
            foreach (var f in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name" })
            {
                meta.Remove(f);
                if (curMeta[f] is { } v) meta[f] = v.DeepClone();
            }

            if (r.HasStatusSubresource)
            {
                next.Remove("status");
                if (current["status"] is { } s) next["status"] = s.DeepClone();
            }

            if (Json.Str(curMeta, "deletionTimestamp") is not null)
            {
                var before = Json.StringList(curMeta["finalizers"]);
                var added = Json.StringList(meta["finalizers"]).Where(f => !before.Contains(f)).ToList();
                if (added.Count > 0)
                {
                    throw Errors.Invalid(r.Kind, r.Group, Json.Str(curMeta, "name") ?? "",
                        [("metadata.finalizers", "FieldValueForbidden", $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{{string.Join(", ", added.Select(a => $"\"{a}\""))}}}")]);
                }
            }

            BuiltinDefaults.ForUpdate(r, next, current);
        }

        ValidateAndAdmit(r, next, current, o, subresource);

        if (HasGeneration(r) && subresource.Length == 0)
        {
            var generation = Json.Long(curMeta, "generation") ?? 1;
            if (SpecChanged(r, current, next)) generation++;
            Json.Meta(next)["generation"] = generation;
        }

        Json.Meta(next)["resourceVersion"] = Json.Str(curMeta, "resourceVersion");
        if (operation != "Apply") next = Patches.RecordUpdate(r, current, next, Manager(o), subresource, Now);
        return next;
    }

    private static bool SpecChanged(ApiResource r, JsonObject a, JsonObject b)
    {
        if (!r.IsCustom) return !Json.DeepEquals(a["spec"], b["spec"]);
        var ca = Json.Clone(a);
        var cb = Json.Clone(b);
        ca.Remove("metadata");
        cb.Remove("metadata");
        if (r.HasStatusSubresource)
        {
            ca.Remove("status");
            cb.Remove("status");
        }

        return !Json.DeepEquals(ca, cb);
    }
}
