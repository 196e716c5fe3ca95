namespace Flock.Operator.FlockTasks;

/// <summary>Why a FLock API call failed, in the words status conditions use.</summary>
public enum FlockApiError
{
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    Malformed,
    Unreachable,
}

/// <summary>A failed FLock API call. The message never includes the API key or a response body beyond its detail.</summary>
public sealed class FlockApiException(FlockApiError error, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FlockApiError Error { get; } = error;
    public int? StatusCode { get; } = statusCode;
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
