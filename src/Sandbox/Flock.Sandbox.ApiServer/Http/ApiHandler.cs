using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Crds.Serialization;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.ApiServer.Seams;
using Flock.Sandbox.ApiServer.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>Serves every HTTP request of the sandbox: health, version, discovery, OpenAPI and the REST API.</summary>
internal sealed partial class ApiHandler
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly ApiMachinery _m;
    private readonly SandboxOptions _options;
    private readonly FaultInjector _faults;
    private readonly Authentication _authn;
    private readonly LogStore _logs;
    private readonly Func<string> _serverAddress;
    private readonly TimeProvider _clock;

    public ApiHandler(ApiMachinery machinery, SandboxOptions options, FaultInjector faults, Authentication authn, LogStore logs,
        Func<string> serverAddress, TimeProvider clock)
    {
        _m = machinery;
        _options = options;
        _faults = faults;
        _authn = authn;
        _logs = logs;
        _serverAddress = serverAddress;
        _clock = clock;
    }

    public async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (path.Length > 1) path = path.TrimEnd('/');
        var warnings = new List<string>();
        try
        {
            if (path is "/healthz" or "/livez" or "/readyz" || path.StartsWith("/healthz/", StringComparison.Ordinal) ||
                path.StartsWith("/livez/", StringComparison.Ordinal) || path.StartsWith("/readyz/", StringComparison.Ordinal))
            {
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                ctx.Response.Headers["X-Content-Type-Options"] = "nosniff";
                await ctx.Response.WriteAsync("ok", ctx.RequestAborted).ConfigureAwait(false);
                return;
            }

            var user = _authn.Authenticate(ctx.Request.Headers.Authorization.ToString());
            if (path == "/_sandbox/faults")
            {
                await FaultsEndpointAsync(ctx, user).ConfigureAwait(false);
                return;
            }

            if (path == "/version")
            {
                await WriteJsonAsync(ctx, 200, VersionInfo()).ConfigureAwait(false);
                return;
            }

            if (user is null) throw Errors.Unauthorized();
            user = Impersonate(ctx, user);
            await _faults.BeforeRequestAsync(user.Name, ctx.RequestAborted).ConfigureAwait(false);

            if (await TryDiscoveryAsync(ctx, path, user).ConfigureAwait(false)) return;
            if (!path.StartsWith("/api/", StringComparison.Ordinal) && !path.StartsWith("/apis/", StringComparison.Ordinal))
            {
                throw Errors.PathNotFound();
            }

            await ResourceRequestAsync(ctx, path, user, warnings).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            if (ctx.Response.HasStarted) return;
            if (e.RetryAfterSeconds is { } retry) ctx.Response.Headers["Retry-After"] = retry.ToString(CultureInfo.InvariantCulture);
            AddWarnings(ctx, warnings);
            await WriteJsonAsync(ctx, e.Code, e.Status).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is JsonException or FormatException or YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            if (ctx.Response.HasStarted) return;
            await WriteJsonAsync(ctx, 400, Errors.Status(400, "BadRequest", e.Message)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (ctx.Response.HasStarted) return;
            await WriteJsonAsync(ctx, 500, Errors.Internal(e.Message).Status).ConfigureAwait(false);
        }
    }

    private static JsonObject VersionInfo() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "70d3cc986aa8221cd1dfb1121852688902d3bf53",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T17:59:15Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    private async Task FaultsEndpointAsync(HttpContext ctx, UserInfo? user)
    {
        if (user is null || !_authn.IsAdmin(user)) throw Errors.Unauthorized();
        if (HttpMethods.IsPost(ctx.Request.Method) || HttpMethods.IsPut(ctx.Request.Method))
        {
            var body = await ReadBodyAsync(ctx).ConfigureAwait(false);
            var cmd = JsonNode.Parse(body) as JsonObject ?? throw Errors.BadRequest("expected a JSON object");
            var restart = cmd["restart"]?.GetValue<bool>() == true;
            cmd.Remove("restart");
            await _faults.ApplyAsync(cmd).ConfigureAwait(false);
            await WriteJsonAsync(ctx, 200, _faults.Describe()).ConfigureAwait(false);
            if (restart)
            {
                // After this response is on its way: the restart closes this connection too.
                _ = Task.Run(async () =>
                {
                    await Task.Delay(50).ConfigureAwait(false);
                    await _faults.RestartAsync().ConfigureAwait(false);
                });
            }

            return;
        }

        await WriteJsonAsync(ctx, 200, _faults.Describe()).ConfigureAwait(false);
    }

    // ------------------------------------------------------------- discovery and OpenAPI

    private async Task<bool> TryDiscoveryAsync(HttpContext ctx, string path, UserInfo user)
    {
        _ = user;
        var resources = _m.Catalog.All;
        var accept = ctx.Request.Headers.Accept.ToString();
        switch (path)
        {
            case "/api":
                if (AggregatedDiscovery.NegotiateVersion(accept) is { } v)
                {
                    await WriteJsonAsync(ctx, 200, AggregatedDiscovery.ForLegacy(resources, v), AggregatedDiscovery.MediaTypeFor(v)).ConfigureAwait(false);
                }
                else
                {
                    await WriteJsonAsync(ctx, 200, DiscoveryDocuments.ApiVersions(_serverAddress())).ConfigureAwait(false);
                }

                return true;
            case "/apis":
                if (AggregatedDiscovery.NegotiateVersion(accept) is { } v2)
                {
                    await WriteJsonAsync(ctx, 200, AggregatedDiscovery.ForApis(resources, v2), AggregatedDiscovery.MediaTypeFor(v2)).ConfigureAwait(false);
                }
                else
                {
                    await WriteJsonAsync(ctx, 200, DiscoveryDocuments.ApiGroupList(resources)).ConfigureAwait(false);
                }

                return true;
            case "/openapi/v2":
                if (accept.Contains("protobuf", StringComparison.Ordinal) && !accept.Contains("json", StringComparison.Ordinal))
                {
                    throw new ApiException(Errors.Status(406, "NotAcceptable", "only the following media types are accepted: application/json"));
                }

                await WriteJsonAsync(ctx, 200, OpenApi().V2()).ConfigureAwait(false);
                return true;
            case "/openapi/v3":
                await WriteJsonAsync(ctx, 200, OpenApi().V3Index()).ConfigureAwait(false);
                return true;
        }

        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var bytes = OpenApi().V3Bytes(path["/openapi/v3/".Length..]) ?? throw Errors.PathNotFound();
            ctx.Response.Headers.CacheControl = ctx.Request.Query.ContainsKey("hash") ? "public, immutable" : "no-cache, private";
            ctx.Response.StatusCode = 200;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = bytes.Length;
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
            return true;
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["api", var coreVersion])
        {
            var list = DiscoveryDocuments.ApiResourceList(resources, "", coreVersion) ?? throw Errors.PathNotFound();
            await WriteJsonAsync(ctx, 200, list).ConfigureAwait(false);
            return true;
        }

        if (parts is ["apis", var group1])
        {
            var g = DiscoveryDocuments.ApiGroup(resources, group1) ?? throw Errors.PathNotFound();
            await WriteJsonAsync(ctx, 200, g).ConfigureAwait(false);
            return true;
        }

        if (parts is ["apis", var group2, var version2])
        {
            var list = DiscoveryDocuments.ApiResourceList(resources, group2, version2) ?? throw Errors.PathNotFound();
            await WriteJsonAsync(ctx, 200, list).ConfigureAwait(false);
            return true;
        }

        return false;
    }

    private OpenApiDocuments? _openApi;
    private IReadOnlyList<ApiResource>? _openApiFor;

    /// <summary>The OpenAPI documents of the resources served now (rebuilt when the catalog changes).</summary>
    private OpenApiDocuments OpenApi()
    {
        var all = _m.Catalog.All;
        if (!ReferenceEquals(all, _openApiFor) || _openApi is null)
        {
            _openApi = new OpenApiDocuments(all);
            _openApiFor = all;
        }

        return _openApi;
    }

    // ------------------------------------------------------------- resource requests

    private sealed record RequestInfo(ApiResource Resource, string? Namespace, string? Name, string Subresource, bool WatchPath);

    private RequestInfo Parse(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        string group, version;
        int i;
        if (parts[0] == "api")
        {
            if (parts.Length < 3) throw Errors.PathNotFound();
            group = "";
            version = parts[1];
            i = 2;
        }
        else
        {
            if (parts.Length < 4) throw Errors.PathNotFound();
            group = parts[1];
            version = parts[2];
            i = 3;
        }

        var rest = parts[i..];
        var watchPath = false;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watchPath = true;
            rest = rest[1..];
        }

        string? ns = null;
        if (rest.Length > 1 && rest[0] == "namespaces" && !(rest.Length > 2 && rest[2] is "status" or "finalize") && rest.Length > 2)
        {
            ns = rest[1];
            rest = rest[2..];
        }

        if (rest.Length is 0 or > 3) throw Errors.PathNotFound();
        var resource = _m.Catalog.Find(group, version, rest[0]) ?? throw Errors.PathNotFound();
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : "";
        if (!resource.Namespaced && ns is not null) throw Errors.PathNotFound();
        if (resource.Namespaced && ns is null && name is not null) throw Errors.PathNotFound();
        if (sub.Length > 0 && !Subresources.Has(resource, sub) && !(resource.Kind == "Namespace" && sub == "finalize") &&
            !(resource.Kind == "Pod" && resource.Group.Length == 0 && sub == "binding"))
        {
            throw Errors.PathNotFound();
        }

        return new RequestInfo(resource, ns, name, sub, watchPath);
    }

    private async Task ResourceRequestAsync(HttpContext ctx, string path, UserInfo user, List<string> warnings)
    {
        var info = Parse(path);
        var q = ctx.Request.Query;
        var r = info.Resource;
        var method = ctx.Request.Method;
        var isWatch = info.WatchPath || IsTrue(q["watch"]);
        var verb = method switch
        {
            "GET" or "HEAD" when info.Name is null => isWatch ? "watch" : "list",
            "GET" or "HEAD" => isWatch ? "watch" : "get",
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" when info.Name is null => "deletecollection",
            "DELETE" => "delete",
            _ => throw Errors.MethodNotAllowed(),
        };
        if (!r.Verbs.Contains(verb) && !(verb is "get" or "update" or "patch" && info.Subresource.Length > 0))
        {
            throw Errors.MethodNotAllowed();
        }

        Authorize(user, verb, info);
        var o = WriteOptionsFrom(q, user, ctx.Request.Headers.UserAgent.ToString());

        if (info.Subresource == "binding")
        {
            if (verb != "create") throw Errors.MethodNotAllowed();
            var binding = await ReadObjectAsync(ctx).ConfigureAwait(false);
            _m.BindPod(info.Namespace!, info.Name!, binding, o);
            var success = Errors.Success();
            success["code"] = 201;
            await WriteJsonAsync(ctx, 201, success).ConfigureAwait(false);
            return;
        }

        if (info.Subresource == "scale")
        {
            await ScaleAsync(ctx, info, verb, o).ConfigureAwait(false);
            return;
        }

        switch (verb)
        {
            case "get" when info.Subresource == "log":
                await PodLogAsync(ctx, info).ConfigureAwait(false);
                return;
            case "get":
                {
                    var stored = _m.Get(r, info.Namespace, info.Name!);
                    await WriteObjectAsync(ctx, r, 200, ApiMachinery.ForVersion(r, stored.CloneObject()), stored).ConfigureAwait(false);
                    return;
                }

            case "list":
                await ListAsync(ctx, info, q).ConfigureAwait(false);
                return;
            case "watch":
                await WatchAsync(ctx, info, q).ConfigureAwait(false);
                return;
            case "create":
                {
                    var body = await ReadObjectAsync(ctx).ConfigureAwait(false);
                    if (r.Virtual)
                    {
                        await WriteJsonAsync(ctx, 201, SelfSubjectAccessReview(user, body)).ConfigureAwait(false);
                        return;
                    }

                    var (obj, code) = _m.Create(r, info.Namespace, body, o);
                    await AfterWriteAsync(ctx, verb, info, o, obj).ConfigureAwait(false);
                    AddWarnings(ctx, o.Warnings);
                    await WriteObjectAsync(ctx, r, code, obj, null).ConfigureAwait(false);
                    return;
                }

            case "update":
                {
                    var body = await ReadObjectAsync(ctx).ConfigureAwait(false);
                    JsonObject obj;
                    if (r.Kind == "Namespace" && info.Subresource == "finalize")
                    {
                        obj = Finalize(info, body, o);
                    }
                    else
                    {
                        obj = _m.Update(r, info.Namespace, info.Name!, info.Subresource, body, o);
                    }

                    await AfterWriteAsync(ctx, verb, info, o, obj).ConfigureAwait(false);
                    AddWarnings(ctx, o.Warnings);
                    await WriteObjectAsync(ctx, r, 200, obj, null).ConfigureAwait(false);
                    return;
                }

            case "patch":
                {
                    var (patchType, patch) = await ReadPatchAsync(ctx).ConfigureAwait(false);
                    var (obj, code) = _m.Patch(r, info.Namespace, info.Name!, info.Subresource, patchType, patch, o);
                    await AfterWriteAsync(ctx, verb, info, o, obj).ConfigureAwait(false);
                    AddWarnings(ctx, o.Warnings);
                    await WriteObjectAsync(ctx, r, code, obj, null).ConfigureAwait(false);
                    return;
                }

            case "delete":
                {
                    var d = await DeleteOptionsFromAsync(ctx, q).ConfigureAwait(false);
                    var (obj, code) = _m.Delete(r, info.Namespace, info.Name!, d, o);
                    if (r.Kind == "Pod" && _m.Store.Table(r).Get(info.Namespace, info.Name!) is null) _logs.Remove(info.Namespace ?? "", info.Name!);
                    await AfterWriteAsync(ctx, verb, info, o, Json.Str(obj, "kind") == "Status" ? null : obj).ConfigureAwait(false);
                    await WriteObjectAsync(ctx, r, code, obj, null).ConfigureAwait(false);
                    return;
                }

            case "deletecollection":
                {
                    var d = await DeleteOptionsFromAsync(ctx, q).ConfigureAwait(false);
                    var result = _m.DeleteCollection(r, info.Namespace, ListOptionsFrom(q), d, o);
                    await WriteJsonAsync(ctx, 200, result).ConfigureAwait(false);
                    return;
                }
        }
    }

    /// <summary>The write hook of <see cref="FaultInjector"/>: the store has the write, the client has no answer yet.</summary>
    private Task AfterWriteAsync(HttpContext ctx, string verb, RequestInfo info, WriteOptions o, JsonObject? obj) =>
        o.DryRun || _faults.WriteHook is null
            ? Task.CompletedTask
            : _faults.AfterWriteAsync(new ApiWrite(verb, info.Resource.Group, info.Resource.Plural, info.Namespace, info.Name ?? Json.Path(obj, "metadata", "name"),
                info.Subresource, o.User.Name, ctx.Request.Headers.UserAgent.ToString(), obj));

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

    private RbacAuthorizer Rbac() => _authn.Rbac(_m);

    /// <summary>
    /// Impersonate-User / Impersonate-Group headers (kubectl --as/--as-group): the requester needs the
    /// impersonate verb on users, groups or serviceaccounts (system:masters has it); the request then runs
    /// as the impersonated user, with system:authenticated (and a service account's groups) added.
    /// </summary>
    private UserInfo Impersonate(HttpContext ctx, UserInfo requester)
    {
        var name = ctx.Request.Headers["Impersonate-User"].ToString();
        var groups = ctx.Request.Headers["Impersonate-Group"].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (name.Length == 0)
        {
            if (groups.Count > 0) throw Errors.Internal("requested [{Kind=Group}] without impersonating a user");
            return requester;
        }

        var target = UserInfo.User(name, [.. groups]);
        var sa = target.AsServiceAccount();
        if (sa is { } account)
        {
            target = new UserInfo(name, [.. UserInfo.ServiceAccount(account.Namespace, account.Name).Groups.Union(groups)]);
        }

        if (!_authn.IsAdmin(requester))
        {
            var checks = new List<AuthorizationAttributes>
            {
                sa is { } s
                    ? AuthorizationAttributes.ForResource(requester, "impersonate", "", "serviceaccounts", s.Namespace, s.Name)
                    : AuthorizationAttributes.ForResource(requester, "impersonate", "", "users", "", name),
            };
            checks.AddRange(groups.Select(g => AuthorizationAttributes.ForResource(requester, "impersonate", "", "groups", "", g)));
            foreach (var check in checks)
            {
                if (!Rbac().Authorize(check).Allowed)
                {
                    var what = check.Resource switch { "groups" => "group", "serviceaccounts" => "serviceaccount", _ => "user" };
                    throw new ApiException(Errors.Status(403, "Forbidden",
                        $"{what}s \"{check.Name}\" is forbidden: User \"{requester.Name}\" cannot impersonate resource \"{check.Resource}\" in API group \"\"" +
                        (check.Namespace.Length > 0 ? $" in the namespace \"{check.Namespace}\"" : " at the cluster scope"),
                        Errors.Details(check.Name, "", check.Resource)));
                }
            }
        }

        return target;
    }

    private void Authorize(UserInfo user, string verb, RequestInfo info)
    {
        if (_authn.IsAdmin(user)) return;
        var ns = info.Namespace ?? (info.Resource.Kind == "Namespace" ? info.Name : null) ?? "";
        var attributes = AuthorizationAttributes.ForResource(user, verb, info.Resource.Group, info.Resource.Plural, ns, info.Name ?? "",
            info.Subresource, info.Resource.Version);
        if (info.Resource.Virtual) return;
        if (ForbiddenStatus.Check(Rbac(), attributes) is { } status) throw new ApiException(status);
    }

    private JsonObject SelfSubjectAccessReview(UserInfo user, JsonObject body)
    {
        try
        {
            return SelfSubjectAccessReviews.Evaluate(Rbac(), user, body);
        }
        catch (ArgumentException e)
        {
            throw Errors.Invalid("SelfSubjectAccessReview", "authorization.k8s.io", "", [("spec.resourceAttributes", "FieldValueInvalid", e.Message)]);
        }
    }

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

    // ------------------------------------------------------------- responses

    private static void AddWarnings(HttpContext ctx, List<string> warnings)
    {
        if (warnings.Count == 0 || ctx.Response.HasStarted) return;
        foreach (var w in warnings.Distinct())
        {
            ctx.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"");
        }
    }

    internal static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        var bytes = Json.ToBytes(body);
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted).ConfigureAwait(false);
    }

    private async Task WriteObjectAsync(HttpContext ctx, ApiResource r, int code, JsonObject obj, StoredObject? stored)
    {
        var tableVersion = TableConverter.NegotiateTableVersion(ctx.Request.Headers.Accept.ToString());
        if (tableVersion is not null && Json.Str(obj, "kind") != "Status")
        {
            var table = TableConverter.Convert(r, [obj], new TableOptions
            {
                TableApiVersion = tableVersion,
                ResourceVersion = Json.Path(obj, "metadata", "resourceVersion"),
                IncludeObject = TableConverter.ParseIncludeObject(ctx.Request.Query["includeObject"].ToString()),
                Now = _clock.GetUtcNow(),
            });
            await WriteJsonAsync(ctx, code, table).ConfigureAwait(false);
            return;
        }

        if (stored is not null && Json.Str(stored.Object, "apiVersion") == Json.Str(obj, "apiVersion"))
        {
            ctx.Response.StatusCode = code;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = stored.Bytes.Length;
            await ctx.Response.Body.WriteAsync(stored.Bytes, ctx.RequestAborted).ConfigureAwait(false);
            return;
        }

        await WriteJsonAsync(ctx, code, obj).ConfigureAwait(false);
    }

    private async Task ListAsync(HttpContext ctx, RequestInfo info, IQueryCollection q)
    {
        var r = info.Resource;
        var result = _m.List(r, info.Namespace, ListOptionsFrom(q));
        var tableVersion = TableConverter.NegotiateTableVersion(ctx.Request.Headers.Accept.ToString());
        if (tableVersion is not null)
        {
            var table = TableConverter.Convert(r, result.Items.Select(i => ApiMachinery.ForVersion(r, i.CloneObject())), new TableOptions
            {
                TableApiVersion = tableVersion,
                ResourceVersion = result.ResourceVersion.ToString(CultureInfo.InvariantCulture),
                Continue = result.Continue,
                RemainingItemCount = result.RemainingItemCount,
                IncludeObject = TableConverter.ParseIncludeObject(q["includeObject"].ToString()),
                Now = _clock.GetUtcNow(),
            });
            await WriteJsonAsync(ctx, 200, table).ConfigureAwait(false);
            return;
        }

        var meta = new JsonObject { ["resourceVersion"] = result.ResourceVersion.ToString(CultureInfo.InvariantCulture) };
        if (result.Continue is not null) meta["continue"] = result.Continue;
        if (result.RemainingItemCount is { } rem) meta["remainingItemCount"] = rem;
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json";
        using var ms = new MemoryStream();
        ms.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{r.ListKindName}\",\"apiVersion\":\"{r.ApiVersion}\",\"metadata\":"));
        ms.Write(Json.ToBytes(meta));
        ms.Write(",\"items\":["u8);
        var first = true;
        foreach (var item in result.Items)
        {
            if (!first) ms.WriteByte((byte)',');
            first = false;
            if (!r.IsCustom) ms.Write(item.ListItemBytes);
            else if (Json.Str(item.Object, "apiVersion") != r.ApiVersion) ms.Write(Json.ToBytes(ApiMachinery.ForVersion(r, item.CloneObject())));
            else ms.Write(item.Bytes);
        }

        ms.Write("]}"u8);
        ctx.Response.ContentLength = ms.Length;
        ms.Position = 0;
        await ms.CopyToAsync(ctx.Response.Body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
