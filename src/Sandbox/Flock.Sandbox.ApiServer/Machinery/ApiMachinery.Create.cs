using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Seams;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Create: names (generateName), namespaces, defaults, admission and managedFields of a new object.</summary>
internal sealed partial class ApiMachinery
{
    private const string GenerateNameChars = "bcdfghjklmnpqrstvwxz2456789";

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
}
