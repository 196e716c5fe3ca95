namespace Flock.Akash.Client;

/// <summary>
/// Simulate refused the transaction: its messages would fail (the node runs them on a scratch state), so it is
/// not broadcast and costs nothing. The node reports this as a gRPC error with the log and no ABCI code.
/// </summary>
public sealed class AkashSimulationException : AkashChainException
{
    public AkashSimulationException()
    {
        RawLog = string.Empty;
    }

    public AkashSimulationException(string rawLog)
        : base($"Akash transaction simulation failed: {rawLog}")
    {
        RawLog = rawLog;
    }

    public AkashSimulationException(string rawLog, Exception innerException)
        : base($"Akash transaction simulation failed: {rawLog}", innerException)
    {
        RawLog = rawLog;
    }

    /// <summary>The node's log, bounded.</summary>
    public string RawLog { get; }
}
