namespace Flock.Akash.Client;

/// <summary>The node's RPC could not be reached or did not answer in time: transient, retry with backoff.</summary>
public sealed class AkashRpcUnavailableException : AkashChainException
{
    public AkashRpcUnavailableException()
    {
    }

    public AkashRpcUnavailableException(string message)
        : base(message)
    {
    }

    public AkashRpcUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public override bool IsTransient => true;
}
