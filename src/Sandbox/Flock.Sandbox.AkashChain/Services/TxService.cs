using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Google.Protobuf;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>cosmos.tx.v1beta1.Service: BroadcastTx (SYNC = CheckTx result), Simulate, GetTx (NotFound until included).</summary>
internal sealed class TxService(ChainCore chain) : Service.ServiceBase
{
    public override async Task<BroadcastTxResponse> BroadcastTx(BroadcastTxRequest request, ServerCallContext context)
    {
        if (request.TxBytes.IsEmpty)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "invalid empty tx"));
        }

        // SDK v0.50+ dropped BLOCK mode; client.Context.BroadcastTx answers anything but sync/async with a plain
        // error, which reaches gRPC clients as Unknown.
        if (request.Mode is not (BroadcastMode.Sync or BroadcastMode.Async))
        {
            var mode = request.Mode == BroadcastMode.Block ? "block" : "unspecified";
            throw new RpcException(new Status(StatusCode.Unknown, $"unsupported return type {mode}; supported types: sync, async"));
        }

        var hook = chain.Faults.BroadcastHook;
        var signed = chain.Faults.SignedBroadcastHook;
        var types = hook is null && signed is null ? [] : MessageTypes(request.TxBytes);
        var signers = signed is null ? [] : Signers(request.TxBytes);
        if ((hook is not null && !await hook(BroadcastPoint.BeforeCheckTx, types).ConfigureAwait(false)) ||
            (signed is not null && !await signed(new BroadcastAttempt(BroadcastPoint.BeforeCheckTx, types, signers)).ConfigureAwait(false)))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "connection dropped before CheckTx"));
        }

        var response = chain.Broadcast(request.TxBytes.ToByteArray());
        if (hook is not null && response.Code == 0) await hook(BroadcastPoint.AfterCheckTx, types).ConfigureAwait(false);
        if (signed is not null && response.Code == 0) await signed(new BroadcastAttempt(BroadcastPoint.AfterCheckTx, types, signers)).ConfigureAwait(false);
        if (request.Mode == BroadcastMode.Async)
        {
            response = new TxResponse { Txhash = response.Txhash };
        }

        return new BroadcastTxResponse { TxResponse = response };
    }

    public override Task<SimulateResponse> Simulate(SimulateRequest request, ServerCallContext context)
    {
        var bytes = request.TxBytes.IsEmpty && request.Tx is not null
            ? new TxRaw { BodyBytes = request.Tx.Body.ToByteString(), AuthInfoBytes = request.Tx.AuthInfo.ToByteString(), Signatures = { request.Tx.Signatures } }.ToByteArray()
            : request.TxBytes.ToByteArray();
        var (gas, error) = chain.Simulate(bytes);
        if (error is not null)
        {
            // The node answers a failing simulation with a gRPC error carrying the ABCI log.
            throw new RpcException(new Status(StatusCode.Unknown, error.Log));
        }

        return Task.FromResult(new SimulateResponse { GasInfo = new GasInfo { GasUsed = gas }, Result = new Result() });
    }

    public override Task<GetTxResponse> GetTx(GetTxRequest request, ServerCallContext context)
    {
        var found = chain.GetTx(request.Hash) ?? throw new RpcException(new Status(StatusCode.NotFound, $"tx not found: {request.Hash}"));
        return Task.FromResult(new GetTxResponse { Tx = found.Tx, TxResponse = found.Response });
    }

    private static IReadOnlyList<string> Signers(ByteString txBytes)
    {
        try
        {
            return Tx.DecodedTx.Decode(txBytes.ToByteArray()).Signers;
        }
        catch (Tx.ChainException)
        {
            return [];
        }
    }

    private static IReadOnlyList<string> MessageTypes(ByteString txBytes)
    {
        try
        {
            return TxBody.Parser.ParseFrom(TxRaw.Parser.ParseFrom(txBytes).BodyBytes).Messages.Select(m => m.TypeUrl).ToList();
        }
        catch (InvalidProtocolBufferException)
        {
            return [];
        }
    }
}
