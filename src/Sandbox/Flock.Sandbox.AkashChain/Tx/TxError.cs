namespace Flock.Sandbox.AkashChain.Tx;

/// <summary>
/// An ABCI error as a TxResponse carries it: codespace + code identify the registered error, and the log is the
/// Go error chain's text ("outer: inner: registered description"), which is what clients pattern-match.
/// </summary>
public sealed record TxError(string Codespace, uint Code, string Log)
{
    /// <summary>Wraps with more context the way errorsmod.Wrap does: "context: original".</summary>
    public TxError Wrap(string context) => this with { Log = $"{context}: {Log}" };

    /// <summary>Adds detail after the text, as Go's fmt.Errorf("%w: detail", err) does: "original: detail".</summary>
    public TxError Append(string detail) => this with { Log = $"{Log}: {detail}" };
}

/// <summary>Thrown inside the state machine to abort a message; the transaction's state changes are discarded.</summary>
public sealed class ChainException : Exception
{
    public ChainException(TxError error)
        : base(error?.Log)
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    public ChainException()
        : this(new TxError("undefined", 1, "internal"))
    {
    }

    public ChainException(string message)
        : this(new TxError("undefined", 1, message))
    {
    }

    public ChainException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new TxError("undefined", 1, message);
    }

    public TxError Error { get; }
}
