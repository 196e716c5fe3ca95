using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>
/// Adds the x-cosmos-block-height response header (the latest committed height) to every call, as cosmos-sdk's
/// gRPC server interceptor does before it runs a query. Requests asking for an older height are not honoured:
/// the simulator keeps no history.
/// </summary>
internal sealed class BlockHeightHeaderInterceptor(ChainCore chain) : Interceptor
{
    public const string HeaderName = "x-cosmos-block-height";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (!chain.Faults.LatestHeightUnsupported)
        {
            context.GetHttpContext().Response.Headers[HeaderName] = chain.Height.ToString(CultureInfo.InvariantCulture);
        }

        return continuation(request, context);
    }
}
