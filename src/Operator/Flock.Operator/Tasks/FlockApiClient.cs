using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Operator.Tasks;

/// <summary>
/// The fed-ledger API client. Every failure becomes a typed <see cref="FlockApiException"/>: status
/// codes by meaning, a body that is not JSON or has a field of the wrong type as Malformed naming the
/// field, and timeouts or refused connections as Unreachable. The API key, when an endpoint needs it,
/// is passed per call and only ever placed in the flock-api-key header.
/// </summary>
public sealed class FlockApiClient(HttpClient http, Uri baseUrl)
{
    /// <summary>The production fed-ledger.</summary>
    public static readonly Uri ProductionBaseUrl = new("https://fed-ledger-prod.flock.io/api/v1/");

    public Uri BaseUrl { get; } = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");

    public async Task<FlockTask> GetTaskAsync(long taskId, CancellationToken ct, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, $"tasks/get?task_id={taskId.ToString(CultureInfo.InvariantCulture)}"));
        if (apiKey is not null) request.Headers.TryAddWithoutValidation("flock-api-key", apiKey);
        var body = await SendAsync(request, $"task {taskId}", ct).ConfigureAwait(false);
        return FlockTaskParser.Parse(body, taskId);
    }

    private async Task<string> SendAsync(HttpRequestMessage request, string what, CancellationToken ct)
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
