namespace Flock.Akash.Client;

/// <summary>
/// Base of the chain client's typed errors. Messages carry addresses, hashes, codes and node logs — never a
/// mnemonic or key: the client only ever holds a <see cref="Crypto.Wallet"/>, which does not expose its key.
/// </summary>
public class AkashChainException : Exception
{
    public AkashChainException()
    {
    }

    public AkashChainException(string message)
        : base(message)
    {
    }

    public AkashChainException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when retrying the same operation later may succeed (node unreachable, tx not yet included).</summary>
    public virtual bool IsTransient => false;
}
