using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Flock.Akash.Diagnostics;

/// <summary>
/// Wraps every unary call of the chain client in a client span named after the gRPC method (OpenTelemetry's RPC
/// conventions: rpc.system, rpc.service, rpc.method, rpc.grpc.status_code) and times it into
/// flock_akash_rpc_duration_seconds. Only the method and status are recorded: request and response messages carry
/// addresses and signed transactions, never span material.
/// </summary>
public sealed class AkashCallInterceptor(AkashMetrics? metrics, Uri endpoint) : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var method = context.Method.FullName.TrimStart('/');
        var caller = Activity.Current;
        var activity = AkashDiagnostics.ActivitySource.StartActivity(method, ActivityKind.Client);
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.service", context.Method.ServiceName);
        activity?.SetTag("rpc.method", context.Method.Name);
        activity?.SetTag("server.address", endpoint.Host);
        activity?.SetTag("server.port", endpoint.Port);
        var started = Stopwatch.GetTimestamp();
        AsyncUnaryCall<TResponse> call;
        try
        {
            // The span is current while the call starts, so the HTTP/2 request it sends is its child (and carries its traceparent).
            call = continuation(request, context);
        }
        catch (Exception e)
        {
            Finish(activity, method, StatusOf(e), started);
            throw;
        }
        finally
        {
            // This method returns an awaitable instead of awaiting: without this the span would stay current in the caller.
            Activity.Current = caller;
        }

        return new AsyncUnaryCall<TResponse>(ObserveAsync(call.ResponseAsync, activity, method, started),
            call.ResponseHeadersAsync, call.GetStatus, call.GetTrailers, call.Dispose);
    }

    private async Task<TResponse> ObserveAsync<TResponse>(Task<TResponse> response, Activity? activity, string method, long started)
    {
        try
        {
            var result = await response.ConfigureAwait(false);
            Finish(activity, method, StatusCode.OK, started);
            return result;
        }
        catch (Exception e)
        {
            Finish(activity, method, StatusOf(e), started);
            throw;
        }
    }

    private void Finish(Activity? activity, string method, StatusCode code, long started)
    {
        var outcome = SnakeCase(code);
        metrics?.RpcCompleted(method, outcome, Stopwatch.GetElapsedTime(started));
        if (activity is null)
        {
            return;
        }

        activity.SetTag("rpc.grpc.status_code", (int)code);
        if (code != StatusCode.OK)
        {
            // The code name only: a status detail may quote a raw log, which is long and not ours to export.
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }

        activity.Dispose();
    }

    private static StatusCode StatusOf(Exception e) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    /// <summary>DeadlineExceeded → deadline_exceeded, the way gRPC status names are written in other languages' metrics.</summary>
    internal static string SnakeCase(StatusCode code)
    {
        var name = code.ToString();
        var text = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0 && !(name[i] == 'K' && name[i - 1] == 'O'))
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
