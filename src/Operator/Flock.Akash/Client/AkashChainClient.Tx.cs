using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Google.Protobuf;
using Grpc.Core;

namespace Flock.Akash.Client;

/// <summary>The tx service calls (Simulate, BroadcastTx SYNC, GetTx) with the node's error conventions translated.</summary>
public sealed partial class AkashChainClient
{
    /// <summary>
    /// Gas the node measures for the transaction. A node answers a failing simulation with a gRPC error whose
    /// detail is the ABCI log (no code), which becomes <see cref="AkashSimulationException"/>.
    /// </summary>
    public async Task<ulong> SimulateAsync(byte[] txBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(txBytes);
        try
        {
            var response = await RpcErrors.CallAsync("tx/Simulate", async () =>
                await _tx.SimulateAsync(new SimulateRequest { TxBytes = ByteString.CopyFrom(txBytes) }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return response.GasInfo?.GasUsed ?? 0;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unknown or StatusCode.InvalidArgument or StatusCode.Internal)
        {
            throw new AkashSimulationException(RawLogs.Bound(e.Status.Detail, 1024));
        }
    }

    /// <summary>BroadcastTx in SYNC mode: returns the CheckTx result (code 0 = in the mempool).</summary>
    public async Task<TxResponse> BroadcastSyncAsync(byte[] txBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(txBytes);
        var response = await RpcErrors.CallAsync("tx/BroadcastTx", async () =>
            await _tx.BroadcastTxAsync(new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(txBytes), Mode = BroadcastMode.Sync }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return response.TxResponse ?? new TxResponse();
    }

    /// <summary>The DeliverTx result of an included transaction, or null while it is not (yet) in a block.</summary>
    public async Task<TxResponse?> GetTxAsync(string hash, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        try
        {
            var response = await RpcErrors.CallAsync("tx/GetTx", async () =>
                await _tx.GetTxAsync(new GetTxRequest { Hash = hash }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            return response.TxResponse;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }
}
