using System.Diagnostics;

namespace Flock.Operator.Telemetry;

/// <summary>
/// Makes every Kubernetes API request sent inside a trace (a reconcile) a client span named after the verb and
/// resource ("PUT flocktrainingnodes/status"), with OpenTelemetry's HTTP client attributes. Requests outside any
/// trace (informer lists and watches, leader-election renewals every few seconds) get no span: they would flood a
/// trace store with roots nobody asked about, and the request metrics count them anyway. Only the method, path
/// (no query) and status are recorded; the Authorization header and bodies never are.
/// </summary>
public sealed class KubeSpanHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (Activity.Current is null || request.RequestUri is not { } uri)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var target = KubePath.Parse(uri.AbsolutePath);
        using var activity = OperatorDiagnostics.ActivitySource.StartActivity($"{request.Method.Method} {target.Resource}", ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("http.request.method", request.Method.Method);
            activity.SetTag("server.address", uri.Host);
            activity.SetTag("server.port", uri.Port);
            activity.SetTag("url.path", uri.AbsolutePath);
            activity.SetTag("k8s.resource", target.Resource);
            if (target.Namespace is { } ns)
            {
                activity.SetTag("k8s.namespace.name", ns);
            }
        }

        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            if ((int)response.StatusCode >= 400)
            {
                activity?.SetStatus(ActivityStatusCode.Error, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return response;
        }
        catch (Exception e)
        {
            activity?.SetTag("error.type", e.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }
}

/// <summary>The resource (with subresource) and namespace an API path names.</summary>
internal readonly record struct KubePath(string Resource, string? Namespace)
{
    /// <summary>
    /// /api/v1/namespaces/ns/secrets/name → secrets in ns; /apis/g/v/namespaces/ns/plural/name/status → plural/status;
    /// /apis/g/v/plural → plural. Anything else (discovery, /version) is named by its path.
    /// </summary>
    public static KubePath Parse(string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var rest = parts switch
        {
            ["api", _, .. var r] => r,
            ["apis", _, _, .. var r] => r,
            _ => null,
        };
        if (rest is null || rest.Length == 0)
        {
            return new KubePath(path, null);
        }

        string? ns = null;
        if (rest is ["namespaces", var name, _, ..])
        {
            ns = Uri.UnescapeDataString(name);
            rest = rest[2..];
        }

        var resource = rest.Length >= 3 ? $"{rest[0]}/{rest[2]}" : rest[0];
        return new KubePath(resource, ns);
    }
}
