using System.Security.Cryptography;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Google.Protobuf;

namespace Flock.Akash.Tx;

/// <summary>A signed transaction ready to broadcast.</summary>
/// <param name="Raw">The TxRaw: body bytes, auth-info bytes and the signature, exactly as signed.</param>
public sealed record SignedTx(TxRaw Raw)
{
    /// <summary>The bytes BroadcastTxRequest.tx_bytes carries.</summary>
    public byte[] Bytes => Raw.ToByteArray();

    /// <summary>The transaction hash the chain reports and GetTx looks up: upper-case hex SHA-256 of the TxRaw bytes.</summary>
    public string Hash => Convert.ToHexString(SHA256.HashData(Bytes));
}
