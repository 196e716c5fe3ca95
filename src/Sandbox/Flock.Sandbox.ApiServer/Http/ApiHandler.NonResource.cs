using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Machinery;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>The non-resource endpoints: version, the sandbox fault controls, API discovery and OpenAPI.</summary>
internal sealed partial class ApiHandler
{
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
}
