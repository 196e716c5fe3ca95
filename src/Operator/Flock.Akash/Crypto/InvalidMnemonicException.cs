namespace Flock.Akash.Crypto;

/// <summary>
/// The account secret is not a valid BIP39 English mnemonic. The message never contains the words (they are the
/// account's private key), and no inner exception is kept because a library's message might quote them.
/// </summary>
public sealed class InvalidMnemonicException : Exception
{
    /// <summary>Creates the error with a reason that names no word.</summary>
    public InvalidMnemonicException(string reason)
        : base($"The Akash account mnemonic is not a valid BIP39 English phrase: {reason}.")
    {
    }

    public InvalidMnemonicException()
        : this("unknown reason")
    {
    }

    public InvalidMnemonicException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
