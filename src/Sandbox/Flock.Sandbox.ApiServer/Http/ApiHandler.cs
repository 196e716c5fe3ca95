using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Microsoft.AspNetCore.Http;

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
            _faults.BeforeRequest(ctx.Request.Method, path);

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
}
