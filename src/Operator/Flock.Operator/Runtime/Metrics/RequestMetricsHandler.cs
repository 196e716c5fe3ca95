using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Flock.Operator.Runtime.Metrics;

/// <summary>
/// Counts every request the operator sends to the API server by method and answer code
/// (client-go's rest_client_requests_total), so requests per resource and steady-state writes can be
/// read off /metrics.
/// </summary>
public sealed class RequestMetricsHandler(RequestMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.Count(request.Method.Method, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            return response;
        }
        catch (HttpRequestException)
        {
            metrics.Count(request.Method.Method, "<error>");
            throw;
        }
    }
}

/// <summary>The counters behind <see cref="RequestMetricsHandler"/>.</summary>
public sealed class RequestMetrics
{
    private readonly ConcurrentDictionary<(string Method, string Code), long> _requests = new();

    public void Count(string method, string code) => _requests.AddOrUpdate((method, code), 1, (_, n) => n + 1);

    public long Total => _requests.Values.Sum();

    public long Writes => _requests.Where(r => r.Key.Method != "GET").Sum(r => r.Value);

    public void Render(StringBuilder text)
    {
        text.Append("# HELP rest_client_requests_total Number of HTTP requests to the API server, partitioned by method and status code.\n");
        text.Append("# TYPE rest_client_requests_total counter\n");
        foreach (var ((method, code), count) in _requests.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"rest_client_requests_total{{code=\"{code}\",method=\"{method}\"}} {count}\n");
        }
    }
}
