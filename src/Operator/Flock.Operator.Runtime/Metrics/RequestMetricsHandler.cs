using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Flock.Operator.Runtime.Diagnostics;

namespace Flock.Operator.Runtime.Metrics;

/// <summary>
/// Counts and times every request the operator sends to the API server, as client-go does:
/// rest_client_requests_total{code,method,host} and rest_client_request_duration_seconds{verb,host}, so requests
/// per resource and steady-state writes can be read off /metrics. A watch is timed until its headers arrive.
/// </summary>
public sealed class RequestMetricsHandler(RequestMetrics metrics) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var method = request.Method.Method;
        var host = request.RequestUri?.Authority ?? "";
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.Record(method, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), host, Stopwatch.GetElapsedTime(started));
            return response;
        }
        catch (HttpRequestException)
        {
            // client-go's label for a request that got no answer.
            metrics.Record(method, "<error>", host, Stopwatch.GetElapsedTime(started));
            throw;
        }
    }
}

/// <summary>The instruments behind <see cref="RequestMetricsHandler"/>.</summary>
public sealed class RequestMetrics
{
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    public RequestMetrics(IMeterFactory meters, RuntimeDiagnostics diagnostics)
    {
        var meter = meters.Create(diagnostics.MeterName);
        _requests = meter.CreateCounter<long>("rest_client_requests_total", null,
            "Number of HTTP requests to the API server, partitioned by status code, method, and host.");
        _duration = meter.CreateHistogram("rest_client_request_duration_seconds", "s",
            "Request latency to the API server in seconds, broken down by verb (HTTP method) and host.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Request });
    }

    public void Record(string method, string code, string host, TimeSpan duration)
    {
        var hostTag = new KeyValuePair<string, object?>("host", host);
        _requests.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("method", method), hostTag);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("verb", method), hostTag);
    }
}
