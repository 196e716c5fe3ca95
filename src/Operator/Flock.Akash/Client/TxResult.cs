namespace Flock.Akash.Client;

/// <summary>A transaction included in a block (DeliverTx result from GetTx).</summary>
/// <param name="Hash">Upper-case hex SHA-256 of the TxRaw bytes.</param>
/// <param name="Height">Block the transaction was included in.</param>
/// <param name="Code">0 on success; <see cref="TxSubmitter"/> throws <see cref="AkashTxException"/> for anything else, so callers see 0.</param>
/// <param name="Codespace">Module that produced a non-zero code; empty on success.</param>
/// <param name="RawLog">The node's log, cut to a bounded length.</param>
/// <param name="GasUsed">Gas the block charged.</param>
/// <param name="Sequence">The account sequence the transaction was signed with.</param>
/// <param name="Fee">The fee paid, in the submitter's fee denom.</param>
public sealed record TxResult(string Hash, long Height, uint Code, string Codespace, string RawLog, long GasUsed, ulong Sequence = 0, Flock.Akash.Tx.TxFee? Fee = null);
