using System.Globalization;

namespace Flock.Akash.Client;

/// <summary>
/// The chain refused a transaction with an ABCI code (e.g. sdk/5 insufficient funds, sdk/13 insufficient fee,
/// deployment/3 deployment exists). The raw log is the node's own text, bounded in length.
/// </summary>
public sealed class AkashTxException : AkashChainException
{
    public AkashTxException()
    {
        Codespace = string.Empty;
        RawLog = string.Empty;
    }

    public AkashTxException(string message)
        : base(message)
    {
        Codespace = string.Empty;
        RawLog = string.Empty;
    }

    public AkashTxException(string message, Exception innerException)
        : base(message, innerException)
    {
        Codespace = string.Empty;
        RawLog = string.Empty;
    }

    public AkashTxException(uint code, string codespace, string rawLog, TxStage stage, string? txHash = null, long height = 0)
        : base(Describe(code, codespace, rawLog, stage, txHash))
    {
        Code = code;
        Codespace = codespace;
        RawLog = rawLog;
        Stage = stage;
        TxHash = txHash;
        Height = height;
    }

    /// <summary>The ABCI code (non-zero).</summary>
    public uint Code { get; }

    /// <summary>The module the code belongs to ("sdk", "deployment", "market", …).</summary>
    public string Codespace { get; }

    /// <summary>The node's log, bounded.</summary>
    public string RawLog { get; }

    public TxStage Stage { get; }

    public string? TxHash { get; }

    /// <summary>Block height for DeliverTx failures; 0 for CheckTx.</summary>
    public long Height { get; }

    /// <summary>sdk/32: the signature's sequence is not the account's next one.</summary>
    public bool IsSequenceMismatch => Code == SequenceMismatch.Code && Codespace == SequenceMismatch.Codespace;

    private static string Describe(uint code, string codespace, string rawLog, TxStage stage, string? txHash) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Akash transaction{(txHash is null ? string.Empty : " " + txHash)} failed in {stage} with code {code} ({codespace}): {rawLog}");
}
