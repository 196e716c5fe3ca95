using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Flock.Sandbox.AkashChain.Protos.CosmosBaseTendermintV1Beta1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TmBlock = Flock.Sandbox.AkashChain.Protos.TendermintTypes.Block;
using TmBlockId = Flock.Sandbox.AkashChain.Protos.TendermintTypes.BlockID;
using TmData = Flock.Sandbox.AkashChain.Protos.TendermintTypes.Data;
using TmHeader = Flock.Sandbox.AkashChain.Protos.TendermintTypes.Header;
using TmPartSetHeader = Flock.Sandbox.AkashChain.Protos.TendermintTypes.PartSetHeader;
using Version = Flock.Sandbox.AkashChain.Protos.TendermintVersion.Consensus;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>
/// cosmos.base.tendermint.v1beta1.Service/GetLatestBlock: the latest committed height in both block.header and
/// sdk_block.header (SDK ≥ 0.47 fills both), with the chain id and block time. Block hashes are deterministic stand-ins
/// (SHA-256 of "chain-id/height"); there are no validators, commits, evidence or tx data. Other methods: Unimplemented.
/// </summary>
internal sealed class TendermintService(ChainCore chain) : Service.ServiceBase
{
    /// <summary>CometBFT's block protocol version (v0.38).</summary>
    private const ulong BlockProtocol = 11;

    public override Task<GetLatestBlockResponse> GetLatestBlock(GetLatestBlockRequest request, ServerCallContext context)
    {
        if (chain.Faults.LatestHeightUnsupported)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "unknown service cosmos.base.tendermint.v1beta1.Service"));
        }

        var (height, time) = chain.LatestBlock();
        var chainId = chain.Options.ChainId;
        var timestamp = Timestamp.FromDateTimeOffset(time);
        var lastBlockId = height > 1 ? BlockId(chainId, height - 1) : new TmBlockId();
        var tmHeader = new TmHeader { Version = new Version { Block = BlockProtocol }, ChainId = chainId, Height = height, Time = timestamp, LastBlockId = lastBlockId };
        var sdkHeader = new Header { Version = new Version { Block = BlockProtocol }, ChainId = chainId, Height = height, Time = timestamp, LastBlockId = lastBlockId.Clone() };
        return Task.FromResult(new GetLatestBlockResponse
        {
            BlockId = BlockId(chainId, height),
            Block = new TmBlock { Header = tmHeader, Data = new TmData() },
            SdkBlock = new Block { Header = sdkHeader, Data = new TmData() },
        });
    }

    private static TmBlockId BlockId(string chainId, long height)
    {
        var hash = ByteString.CopyFrom(SHA256.HashData(Encoding.UTF8.GetBytes($"{chainId}/{height.ToString(CultureInfo.InvariantCulture)}")));
        return new TmBlockId { Hash = hash, PartSetHeader = new TmPartSetHeader { Total = 1, Hash = hash } };
    }
}
