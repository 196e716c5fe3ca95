using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Seams;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The result of a list: the matching objects at one resource version, and the next page's token.</summary>
public sealed record ListResult(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);

/// <summary>
/// The generic registry of k8s.io/apiserver (create, update, patch, delete, list) over the
/// <see cref="ClusterStore"/>: metadata rules, optimistic concurrency, generation, status
/// subresource, finalizers, deletion propagation, field validation, admission and managedFields.
/// </summary>
internal sealed partial class ApiMachinery
{
    private static readonly ApiResource NamespacesResource = BuiltinResources.Find("", "namespaces")!;
    private static readonly ApiResource CrdsResource = BuiltinResources.Find("apiextensions.k8s.io", "customresourcedefinitions")!;
    private const string GenerateNameChars = "bcdfghjklmnpqrstvwxz2456789";

    private readonly ResourceCatalog _catalog;
    private readonly ClusterStore _store;
    private readonly FaultInjector _faults;
    private readonly TimeProvider _clock;

    public ApiMachinery(ResourceCatalog catalog, ClusterStore store, FaultInjector faults, TimeProvider clock)
    {
        _catalog = catalog;
        _store = store;
        _faults = faults;
        _clock = clock;
    }

    public ResourceCatalog Catalog => _catalog;
    public ClusterStore Store => _store;

    /// <summary>Raised when something may need garbage collection or finalization.</summary>
    public event Action? Activity;

    private void Signal() => Activity?.Invoke();

    private DateTimeOffset Now => _clock.GetUtcNow();

    // ---------------------------------------------------------------- reads

    public StoredObject Get(ApiResource r, string? ns, string name) =>
        _store.Table(r).Get(r.Namespaced ? ns : null, name) ?? throw Errors.NotFound(r.Group, r.Plural, name);

    public ListResult List(ApiResource r, string? ns, ListOptions o)
    {
        var labels = LabelSelector.Parse(o.LabelSelector);
        var fields = FieldSelector.Parse(o.FieldSelector, r);
        var table = _store.Table(r);
        ns = r.Namespaced ? ns : null;
        List<StoredObject> items;
        long rv;
        string? startAfter = null;
        if (!string.IsNullOrEmpty(o.Continue))
        {
            (rv, startAfter) = DecodeContinue(o.Continue);
            items = table.SnapshotAt(ns, rv) ?? throw new ApiException(ContinueExpired(rv, startAfter));
        }
        else if (o.ResourceVersionMatch == "Exact" && long.TryParse(o.ResourceVersion, out var exact))
        {
            rv = exact;
            items = table.SnapshotAt(ns, rv) ?? throw Errors.Gone($"too old resource version: {exact} ({_store.CurrentResourceVersion})");
        }
        else
        {
            if (long.TryParse(o.ResourceVersion, out var min) && min > _store.CurrentResourceVersion)
            {
                var details = new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ResourceVersionTooLarge", ["message"] = "Too large resource version" }),
                    ["retryAfterSeconds"] = 1,
                };
                throw new ApiException(Errors.Status(504, "Timeout",
                    $"Too large resource version: {min}, current: {_store.CurrentResourceVersion}", details)) { RetryAfterSeconds = 1 };
            }

            (items, rv) = table.Snapshot(ns);
        }

        IEnumerable<StoredObject> query = items;
        if (startAfter is not null) query = query.Where(i => string.CompareOrdinal(i.Key, startAfter) > 0);
        if (!labels.IsEverything) query = query.Where(i => labels.Matches(i.Labels));
        if (!fields.IsEverything) query = query.Where(i => fields.Matches(i.Object));
        var all = query.ToList();
        if (o.Limit > 0 && all.Count > o.Limit)
        {
            var page = all.Take((int)o.Limit).ToList();
            var filtered = !labels.IsEverything || !fields.IsEverything;
            return new ListResult(page, rv, EncodeContinue(rv, page[^1].Key), filtered ? null : all.Count - page.Count);
        }

        return new ListResult(all, rv, null, null);
    }

    private JsonObject ContinueExpired(long rv, string start)
    {
        var s = Errors.Status(410, "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        _ = rv;
        s["metadata"] = new JsonObject { ["continue"] = EncodeContinue(_store.CurrentResourceVersion, start) };
        return s;
    }

    internal static string EncodeContinue(long rv, string lastKey)
    {
        var json = new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = lastKey + "\u0000" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    internal static (long Rv, string StartAfter) DecodeContinue(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64)));
            var rv = Json.Long(node, "rv") ?? throw new FormatException();
            var start = Json.Str(node, "start") ?? throw new FormatException();
            if (Json.Str(node, "v") != "meta.k8s.io/v1" || rv <= 0) throw new FormatException();
            return (rv, start.TrimEnd('\u0000'));
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidOperationException)
        {
            throw Errors.BadRequest($"invalid continue token: {e.Message}");
        }
    }

    // ---------------------------------------------------------------- create

    public (JsonObject Object, int Code) Create(ApiResource r, string? ns, JsonObject body, WriteOptions o) => Create(r, ns, body, o, false);

    private (JsonObject Object, int Code) Create(ApiResource r, string? ns, JsonObject body, WriteOptions o, bool applied)
    {
        var obj = Json.Clone(body);
        CheckKind(r, obj);
        var meta = Json.Meta(obj);
        ns = ApplyNamespace(r, ns, meta);
        var generateName = Json.Str(meta, "generateName");
        if (string.IsNullOrEmpty(Json.Str(meta, "name")) && string.IsNullOrEmpty(generateName))
        {
            throw Errors.Invalid(r.Kind, r.Group, "", [("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")]);
        }

        if (Json.Str(meta, "resourceVersion") is { Length: > 0 })
        {
            throw Errors.Internal("resourceVersion should not be set on objects to be created");
        }

        if (r.IsCustom && _store.Table(CrdsResource).Get(null, $"{r.Plural}.{r.Group}") is { } crd &&
            Json.Path(crd.Object, "metadata", "deletionTimestamp") is not null)
        {
            throw new ApiException(Errors.Status(405, "MethodNotAllowed", "create not allowed while custom resource definition is terminating"));
        }

        if (r.Namespaced) EnsureNamespace(r, ns!, Json.Str(meta, "name") ?? generateName ?? "");
        if (!o.Internal) _faults.BeforeWrite(r, Json.Str(meta, "name") ?? generateName ?? "", o.User.Name);

        var now = Now;
        meta.Remove("uid");
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Json.Rfc3339(now);
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        if (!applied) meta.Remove("managedFields");
        if (HasGeneration(r)) meta["generation"] = 1;
        else meta.Remove("generation");
        if (r.HasStatusSubresource && r.Kind is not "Node") obj.Remove("status");
        BuiltinDefaults.ForCreate(r, obj);
        ValidateAndAdmit(r, obj, null, o, "");
        if (!applied)
        {
            obj = Patches.RecordUpdate(r, null, obj, Manager(o), "", now);
            meta = Json.Meta(obj);
        }

        var attempts = string.IsNullOrEmpty(Json.Str(meta, "name")) ? 8 : 1;
        for (var i = 0; ; i++)
        {
            if (!string.IsNullOrEmpty(generateName) && (i > 0 || string.IsNullOrEmpty(Json.Str(meta, "name"))))
            {
                meta["name"] = generateName + RandomSuffix();
            }

            var name = Json.Str(meta, "name")!;
            if (i == 0 || !string.IsNullOrEmpty(generateName)) ValidateName(r, name);
            if (o.DryRun)
            {
                if (_store.Table(r).Get(ns, name) is not null) throw Errors.AlreadyExists(r.Group, r.Plural, name);
                return (obj, 201);
            }

            try
            {
                var stored = _store.Table(r).Create(obj);
                return (ForVersion(r, stored.CloneObject()), 201);
            }
            catch (ApiException e) when (e.Code == 409 && i + 1 < attempts)
            {
            }
        }
    }

    private static string RandomSuffix()
    {
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++) chars[i] = GenerateNameChars[RandomNumberGenerator.GetInt32(GenerateNameChars.Length)];
        return new string(chars);
    }

    private void EnsureNamespace(ApiResource r, string ns, string name)
    {
        var nsObj = _store.Table(NamespacesResource).Get(null, ns) ?? throw Errors.NotFound("", "namespaces", ns);
        if (Json.Path(nsObj.Object, "metadata", "deletionTimestamp") is not null)
        {
            var details = Errors.Details(name, r.Group, r.Plural);
            details["causes"] = new JsonArray(new JsonObject
            {
                ["reason"] = "NamespaceTerminating",
                ["message"] = $"namespace {ns} is being terminated",
                ["field"] = "metadata.namespace",
            });
            var gr = r.Group.Length == 0 ? r.Plural : $"{r.Plural}.{r.Group}";
            throw new ApiException(Errors.Status(403, "Forbidden",
                $"{gr} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated", details));
        }
    }

    private static string? ApplyNamespace(ApiResource r, string? ns, JsonObject meta)
    {
        var bodyNs = Json.Str(meta, "namespace");
        if (!r.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }

        if (string.IsNullOrEmpty(ns)) throw Errors.BadRequest("the server could not find the requested resource");
        if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
        {
            throw Errors.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        meta["namespace"] = ns;
        return ns;
    }

    private static void CheckKind(ApiResource r, JsonObject obj)
    {
        var apiVersion = Json.Str(obj, "apiVersion");
        var kind = Json.Str(obj, "kind");
        if (!string.IsNullOrEmpty(kind) && kind != r.Kind)
        {
            throw Errors.BadRequest($"the server rejected our request due to an error in our request: the kind in the data ({kind}) does not match the expected kind ({r.Kind})");
        }

        if (!string.IsNullOrEmpty(apiVersion) && apiVersion != r.ApiVersion)
        {
            throw Errors.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({r.ApiVersion})");
        }

        obj["apiVersion"] = r.ApiVersion;
        obj["kind"] = r.Kind;
    }

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    private static void ValidateName(ApiResource r, string name)
    {
        if (r.Group == "rbac.authorization.k8s.io" || r.Kind == "Event")
        {
            if (name is "." or ".." || name.Contains('/') || name.Contains('%'))
            {
                throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.name", "FieldValueInvalid", $"Invalid value: \"{name}\": may not contain '/' or '%'")]);
            }

            return;
        }

        if (r.Kind is "Namespace" or "Service")
        {
            if (name.Length > 63 || !Label().IsMatch(name))
            {
                throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.name", "FieldValueInvalid",
                    $"Invalid value: \"{name}\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]);
            }

            return;
        }

        if (name.Length > 253 || !Subdomain().IsMatch(name))
        {
            throw Errors.Invalid(r.Kind, r.Group, name, [("metadata.name", "FieldValueInvalid",
                $"Invalid value: \"{name}\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]);
        }
    }

    /// <summary>Resources whose metadata.generation the apiserver maintains.</summary>
    private static bool HasGeneration(ApiResource r) =>
        r.IsCustom || r.Group is "apps" or "batch" || r.Kind is "CustomResourceDefinition";

    private static string Manager(WriteOptions o) => string.IsNullOrEmpty(o.FieldManager) ? o.DefaultManager : o.FieldManager!;

    /// <summary>Unknown fields (per fieldValidation), built-in validation and CR schema admission.</summary>
    private void ValidateAndAdmit(ApiResource r, JsonObject obj, JsonObject? old, WriteOptions o, string subresource)
    {
        // Decoding comes first: unknown fields are reported (or dropped) before admission validates anything.
        var unknown = r.ModelType is not null ? BuiltinFields.Prune(r.ModelType, obj) : [.. CrAdmission.Prune(r, obj)];
        if (unknown.Count > 0)
        {
            switch (o.FieldValidation)
            {
                case "Strict":
                    {
                        // Create and update decode the body strictly (transformDecodeError adds the kind); a patch
                        // checks the patched object and reports the bare strict decoding error.
                        var error = "strict decoding error: " + string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""));
                        throw Errors.BadRequest(o.IsPatch ? error : $"{r.Kind} in version \"{r.Version}\" cannot be handled as a {r.Kind}: {error}");
                    }

                case "Ignore":
                    break;
                default:
                    o.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                    break;
            }
        }

        var metaErrors = MetaValidation.Validate(obj);
        if (metaErrors.Count > 0) throw Errors.Invalid(r.Kind, r.Group, Json.Path(obj, "metadata", "name") ?? "", metaErrors);
        if (r.ModelType is not null)
        {
            BuiltinValidation.Validate(r, obj);
            if (r.Kind == "CustomResourceDefinition" && subresource.Length == 0) CrdValidation.Validate(obj);
            if (old is not null && subresource.Length == 0)
            {
                var updateErrors = MetaValidation.ValidateUpdate(r, obj, old);
                if (updateErrors.Count > 0) throw Errors.Invalid(r.Kind, r.Group, Json.Path(obj, "metadata", "name") ?? "", updateErrors);
            }
        }
        else
        {
            var result = CrAdmission.Admit(r, obj, old);
            o.Warnings.AddRange(result.Warnings);
            if (result.InvalidStatus is not null) throw new ApiException(result.InvalidStatus);
        }
    }

    // ---------------------------------------------------------------- update

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

    /// <summary>A custom resource read at another served version than it was written in.</summary>
    internal static JsonObject ForVersion(ApiResource r, JsonObject obj)
    {
        if (r.IsCustom && Json.Str(obj, "apiVersion") != r.ApiVersion) obj["apiVersion"] = r.ApiVersion;
        return obj;
    }

    // ---------------------------------------------------------------- delete

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
