using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;

namespace Flock.ApiModel.Tests.Kubectl;

/// <summary>
/// Just enough of an apiserver, built only from the ApiModel builders, for the real kubectl to judge
/// them: discovery (aggregated and not), OpenAPI v3, Tables over fixed objects, SelfSubjectAccessReview.
/// </summary>
internal sealed class ModelServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly IReadOnlyList<ApiResource> _resources;
    private readonly OpenApiDocuments _openApi;
    private readonly RbacAuthorizer _rbac;
    private readonly UserInfo _user;
    private readonly Func<ApiResource, IReadOnlyList<JsonObject>> _objects;
    private readonly Task _loop;

    public ModelServer(IReadOnlyList<ApiResource> resources, RbacAuthorizer rbac, UserInfo user, Func<ApiResource, IReadOnlyList<JsonObject>> objects)
    {
        _resources = resources;
        _openApi = new OpenApiDocuments(resources);
        _rbac = rbac;
        _user = user;
        _objects = objects;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public int Port { get; }

    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContext.
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                Answer(context);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Write(context, 500, StatusErrors.InternalError(e.Message));
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var path = request.Url!.AbsolutePath.TrimEnd('/');
        var accept = request.Headers["Accept"];
        var aggregated = AggregatedDiscovery.NegotiateVersion(accept);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (path)
        {
            case "/version":
                Write(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "32", ["gitVersion"] = "v1.32.0" });
                return;
            case "/api":
                Write(context, 200, aggregated is null ? DiscoveryDocuments.ApiVersions() : AggregatedDiscovery.ForLegacy(_resources, aggregated),
                    aggregated is null ? "application/json" : AggregatedDiscovery.MediaTypeFor(aggregated));
                return;
            case "/apis":
                Write(context, 200, aggregated is null ? DiscoveryDocuments.ApiGroupList(_resources) : AggregatedDiscovery.ForApis(_resources, aggregated),
                    aggregated is null ? "application/json" : AggregatedDiscovery.MediaTypeFor(aggregated));
                return;
            case "/openapi/v3":
                Write(context, 200, _openApi.V3Index());
                return;
            case "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" when request.HttpMethod == "POST":
                using (var body = new MemoryStream())
                {
                    request.InputStream.CopyTo(body);
                    var review = KubernetesProtobuf.IsProtobuf(request.ContentType)
                        ? KubernetesProtobuf.DecodeSelfSubjectAccessReview(body.ToArray())
                        : (JsonObject)JsonNode.Parse(body.ToArray())!;
                    Write(context, 201, SelfSubjectAccessReviews.Evaluate(_rbac, _user, review));
                }

                return;
        }

        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal) && _openApi.V3Bytes(path["/openapi/v3/".Length..]) is { } document)
        {
            WriteBytes(context, 200, document, "application/json");
            return;
        }

        // /api/v1, /apis/{g}/{v}
        if ((segments is ["api", var coreVersion] && DiscoveryDocuments.ApiResourceList(_resources, "", coreVersion) is { } core))
        {
            Write(context, 200, core);
            return;
        }

        if (segments is ["apis", var g, var v] && DiscoveryDocuments.ApiResourceList(_resources, g, v) is { } named)
        {
            Write(context, 200, named);
            return;
        }

        // Lists: /api(s)/…/namespaces/{ns}/{plural}
        if (segments.Length >= 5 && segments[^3] == "namespaces")
        {
            var group = segments[0] == "api" ? "" : segments[1];
            var version = segments[0] == "api" ? segments[1] : segments[2];
            var resource = _resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == segments[^1]);
            if (resource is not null)
            {
                var items = _objects(resource);
                var tableVersion = TableConverter.NegotiateTableVersion(accept);
                JsonObject answer = tableVersion is not null
                    ? TableConverter.Convert(resource, items, new TableOptions
                    {
                        ResourceVersion = "42",
                        IncludeObject = TableConverter.ParseIncludeObject(request.QueryString["includeObject"]),
                        TableApiVersion = tableVersion,
                    })
                    : new JsonObject
                    {
                        ["kind"] = resource.ListKindName,
                        ["apiVersion"] = resource.ApiVersion,
                        ["metadata"] = new JsonObject { ["resourceVersion"] = "42" },
                        ["items"] = new JsonArray(items.Select(i => (JsonNode)i.DeepClone()).ToArray()),
                    };
                Write(context, 200, answer);
                return;
            }
        }

        Write(context, 404, StatusErrors.NotFoundPath());
    }

    private static void Write(HttpListenerContext context, int code, JsonObject body, string contentType = "application/json") =>
        WriteBytes(context, code, Encoding.UTF8.GetBytes(body.ToJsonString()), contentType);

    private static void WriteBytes(HttpListenerContext context, int code, byte[] body, string contentType)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = contentType;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }
}
