using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Operator.Telemetry;

namespace Flock.Operator.FlockTasks;

/// <summary>
/// The fed-ledger API client. Every failure becomes a typed <see cref="FlockApiException"/>: status
/// codes by meaning, a body that is not JSON or has a field of the wrong type as Malformed naming the
/// field, and timeouts or refused connections as Unreachable. The API key, when an endpoint needs it,
/// is passed per call and only ever placed in the flock-api-key header. Each call is a client span (task id,
/// method, host, status; never the key) and a sample of flock_api_request_duration_seconds.
/// </summary>
public sealed class FlockApiClient(HttpClient http, Uri baseUrl, FlockMetrics? metrics = null)
{
    /// <summary>The production fed-ledger.</summary>
    public static readonly Uri ProductionBaseUrl = new("https://fed-ledger-prod.flock.io/api/v1/");

    public Uri BaseUrl { get; } = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    public async Task<FlockTask> GetTaskAsync(long taskId, CancellationToken ct, string? apiKey = null)
    {
        const string operation = "get_task";
        using var activity = StartSpan(operation);
        activity?.SetTag("flock.task_id", taskId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, $"tasks/get?task_id={taskId.ToString(CultureInfo.InvariantCulture)}"));
            if (apiKey is not null) request.Headers.TryAddWithoutValidation("flock-api-key", apiKey);
            var body = await SendAsync(request, $"task {taskId}", activity, ct).ConfigureAwait(false);
            var task = FlockTaskParser.Parse(body, taskId);
            metrics?.FlockApiCompleted(operation, null, Stopwatch.GetElapsedTime(started));
            return task;
        }
        catch (FlockApiException e)
        {
            metrics?.FlockApiCompleted(operation, e.Error, Stopwatch.GetElapsedTime(started));
            activity?.SetTag("error.type", e.Error.ToString());
            activity?.SetStatus(ActivityStatusCode.Error, e.Error.ToString());
            throw;
        }
    }

    /// <summary>A client span per call; a root of its own when no reconcile is running (the task tracker polls on its own).</summary>
    private Activity? StartSpan(string operation)
    {
        var activity = OperatorDiagnostics.ActivitySource.StartActivity("flock " + operation, ActivityKind.Client);
        activity?.SetTag("flock.operation", operation);
        activity?.SetTag("http.request.method", "GET");
        activity?.SetTag("server.address", BaseUrl.Host);
        activity?.SetTag("server.port", BaseUrl.Port);
        return activity;
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string what, Activity? activity, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new FlockApiException(FlockApiError.Unreachable, $"FLock API unreachable for {what}: {e.Message}", inner: e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new FlockApiException(FlockApiError.Unreachable, $"FLock API timed out for {what}", inner: e);
        }

        using (response)
        {
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return body;
            var code = (int)response.StatusCode;
            var detail = Detail(body);
            throw response.StatusCode switch
            {
                HttpStatusCode.Unauthorized => new FlockApiException(FlockApiError.Unauthorized, $"FLock API refused the API key for {what}: {detail}", code),
                HttpStatusCode.Forbidden => new FlockApiException(FlockApiError.Forbidden, $"FLock API forbids {what}: {detail}", code),
                HttpStatusCode.NotFound => new FlockApiException(FlockApiError.NotFound, $"FLock API has no {what}: {detail}", code),
                HttpStatusCode.TooManyRequests => new FlockApiException(FlockApiError.RateLimited, $"FLock API rate-limited {what}: {detail}", code, RetryAfter(response)),
                _ when code >= 500 => new FlockApiException(FlockApiError.ServerError, $"FLock API failed on {what} with {code}: {detail}", code),
                _ => new FlockApiException(FlockApiError.Malformed, $"FLock API answered {code} for {what}: {detail}", code),
            };
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter?.Delta ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);

    // FastAPI puts the reason in {"detail": "..."}; keep it short and never echo a whole body.
    private static string Detail(string body)
    {
        try
        {
            if (JsonNode.Parse(body)?["detail"] is JsonValue value && value.TryGetValue<string>(out var text)) return Truncate(text);
        }
        catch (JsonException)
        {
        }

        return "no detail";
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
