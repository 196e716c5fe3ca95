using System.Net;
using k8s.Models;

namespace Flock.Operator.Runtime.Client;

/// <summary>A non-success answer of the API server, with its Status body when it sent one.</summary>
public sealed class KubeApiException(HttpStatusCode statusCode, V1Status? status, string message) : Exception(message)
{
    public HttpStatusCode StatusCode { get; } = statusCode;
    public V1Status? Status { get; } = status;

    /// <summary>The Status reason (NotFound, Conflict, AlreadyExists, Expired, Invalid…).</summary>
    public string? Reason => Status?.Reason;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
    public bool IsConflict => StatusCode == HttpStatusCode.Conflict && Reason != "AlreadyExists";
    public bool IsAlreadyExists => StatusCode == HttpStatusCode.Conflict && Reason == "AlreadyExists";
    public bool IsGone => StatusCode == HttpStatusCode.Gone || Reason is "Expired" or "Gone";
}
