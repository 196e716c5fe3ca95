using Flock.Akash.Chain;

namespace Flock.Akash.Client;

/// <summary>Where the operator's chain client connects and which chain it signs for.</summary>
/// <param name="GrpcEndpoint">The node's gRPC endpoint. http:// means h2c (HTTP/2 without TLS: a sidecar node or the sandbox simulator); https:// uses TLS.</param>
/// <param name="ChainId">Goes into every SignDoc; the node's gRPC has no cheap way to ask for it, so it is configured.</param>
/// <param name="CallTimeout">Deadline of each single RPC, so a hung node surfaces as a transient error instead of stalling a reconcile.</param>
public sealed record AkashClientOptions(Uri GrpcEndpoint, string ChainId = AkashNetwork.MainnetChainId, TimeSpan? CallTimeout = null)
{
    /// <summary>30 s: longer than any healthy query or CheckTx, short enough to retry within a reconcile.</summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The deadline applied to each RPC.</summary>
    public TimeSpan EffectiveCallTimeout => CallTimeout ?? DefaultCallTimeout;
}
