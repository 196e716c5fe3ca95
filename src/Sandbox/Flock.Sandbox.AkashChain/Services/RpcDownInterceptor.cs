using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>Fails every call with Unavailable while <see cref="ChainFaults.RpcDown"/> is set, as a dead RPC node looks to a client.</summary>
internal sealed class RpcDownInterceptor(ChainCore chain) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        if (chain.Faults.RpcDown)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "connection refused (simulated RPC outage)"));
        }

        return continuation(request, context);
    }
}
