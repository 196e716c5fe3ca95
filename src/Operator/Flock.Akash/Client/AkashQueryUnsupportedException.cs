namespace Flock.Akash.Client;

/// <summary>The node serves none of the RPCs that could answer this query (e.g. the latest block height on a node without the tendermint service).</summary>
public sealed class AkashQueryUnsupportedException : AkashChainException
{
    public AkashQueryUnsupportedException()
    {
    }

    public AkashQueryUnsupportedException(string message)
        : base(message)
    {
    }

    public AkashQueryUnsupportedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
