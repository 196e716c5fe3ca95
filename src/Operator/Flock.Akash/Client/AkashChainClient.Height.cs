using System.Globalization;
using Grpc.Core;
using DeploymentParamsRequest = Flock.Akash.Protos.DeploymentV1Beta4.QueryParamsRequest;

namespace Flock.Akash.Client;

/// <summary>The latest block height (dseq convention, block-based timeouts).</summary>
public sealed partial class AkashChainClient
{
    /// <summary>
    /// The latest committed height. First cosmos.base.tendermint.v1beta1.Service/GetLatestBlock (every full node
    /// serves it); if the node does not implement that service, the x-cosmos-block-height header cosmos-sdk adds
    /// to query responses. A node with neither (the sandbox simulator today) gives <see cref="AkashQueryUnsupportedException"/>.
    /// </summary>
    public async Task<long> GetLatestBlockHeightAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var bytes = await RpcErrors.CallAsync("tendermint/GetLatestBlock", async () =>
                await _invoker.AsyncUnaryCall(LatestBlock.GetLatestBlock, null, Call(cancellationToken), []).ResponseAsync.ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            long? height;
            try
            {
                height = LatestBlock.HeightOf(bytes);
            }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw new AkashChainException($"Akash RPC tendermint/GetLatestBlock returned {bytes.Length} bytes that are not a GetLatestBlockResponse: {e.Message}", e);
            }

            if (height is { } h)
            {
                return h;
            }
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            // Falls through to the header of an ordinary query.
        }

        using var call = _deployments.ParamsAsync(new DeploymentParamsRequest(), Call(cancellationToken));
        var headers = await RpcErrors.CallAsync("deployment/Params", () => call.ResponseHeadersAsync, cancellationToken).ConfigureAwait(false);
        await RpcErrors.CallAsync("deployment/Params", () => call.ResponseAsync, cancellationToken).ConfigureAwait(false);
        var value = headers.GetValue(LatestBlock.HeightHeader);
        if (value is not null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var fromHeader))
        {
            return fromHeader;
        }

        throw new AkashQueryUnsupportedException(
            "The Akash node serves neither cosmos.base.tendermint.v1beta1.Service/GetLatestBlock nor the x-cosmos-block-height header; the latest height is unknown.");
    }
}
