using Grpc.Core;

namespace Flock.Akash.Client;

/// <summary>
/// Turns gRPC failures into the client's typed errors at one place: an unreachable or overloaded node becomes the
/// transient <see cref="AkashRpcUnavailableException"/>; everything else stays an RpcException for the caller
/// that knows what NotFound means for its query.
/// </summary>
internal static class RpcErrors
{
    public static async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException e) when (IsTransient(e.StatusCode))
        {
            // The status detail is the node's or the transport's text (no request payload), safe to keep.
            throw new AkashRpcUnavailableException($"Akash RPC {what} failed: {e.StatusCode} ({e.Status.Detail})", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // With ThrowOperationCanceledOnCancellation the channel reports our per-call deadline as a cancellation too;
            // only the caller's token means the caller gave up.
            throw new AkashRpcUnavailableException($"Akash RPC {what} failed: DeadlineExceeded (no answer within the call deadline)", e);
        }
    }

    /// <summary>Unavailable: connection refused/reset or node down; DeadlineExceeded: our per-call deadline; ResourceExhausted: rate limits of public RPCs.</summary>
    public static bool IsTransient(StatusCode code) => code is StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted;
}
