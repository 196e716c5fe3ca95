namespace Flock.Akash.Client;

/// <summary>
/// CheckTx accepted the transaction but it was not seen in a block in time. Its outcome is unknown (it may still
/// be included), so callers must re-read chain state before acting again rather than blindly resubmitting.
/// </summary>
public sealed class AkashTxTimeoutException : AkashChainException
{
    public AkashTxTimeoutException()
    {
        TxHash = string.Empty;
    }

    public AkashTxTimeoutException(string txHash)
        : base($"Akash transaction {txHash} was accepted but not included in a block in time; check chain state before resubmitting.")
    {
        TxHash = txHash;
    }

    public AkashTxTimeoutException(string txHash, Exception innerException)
        : base($"Akash transaction {txHash} was accepted but not included in a block in time; check chain state before resubmitting.", innerException)
    {
        TxHash = txHash;
    }

    public string TxHash { get; }

    public override bool IsTransient => true;
}
