namespace Flock.Akash.Client;

/// <summary>Where a transaction failed: the answer differs (CheckTx costs nothing; DeliverTx still took the fee and the sequence).</summary>
public enum TxStage
{
    /// <summary>Broadcast SYNC: CheckTx refused it; no fee, no sequence used.</summary>
    CheckTx,

    /// <summary>In a block: the fee was paid and the sequence advanced, but the messages were not applied.</summary>
    DeliverTx,
}
