using Google.Protobuf;
using Grpc.Core;

namespace Flock.Akash.Client;

/// <summary>
/// cosmos.base.tendermint.v1beta1.Service/GetLatestBlock without generating the whole tendermint block schema:
/// the request is empty and only header.height is needed, read from sdk_block (field 3, SDK ≥ 0.47) or the
/// legacy tendermint block (field 2); both are Block{header=1 Header{height=3 int64}}.
/// </summary>
internal static class LatestBlock
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    public static readonly Method<byte[], byte[]> GetLatestBlock =
        new(MethodType.Unary, "cosmos.base.tendermint.v1beta1.Service", "GetLatestBlock", Bytes, Bytes);

    /// <summary>The x-cosmos-block-height header cosmos-sdk's gRPC server puts on every query response.</summary>
    public const string HeightHeader = "x-cosmos-block-height";

    /// <summary>The block height in a GetLatestBlockResponse, or null if neither block field carries one.</summary>
    public static long? HeightOf(byte[] response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sdkBlock = Field(response, 3);
        var block = Field(response, 2);
        foreach (var candidate in new[] { sdkBlock, block })
        {
            if (candidate is not null && Field(candidate, 1) is { } header && VarintField(header, 3) is { } height && height > 0)
            {
                return height;
            }
        }

        return null;
    }

    private static byte[]? Field(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        byte[]? found = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                found = input.ReadBytes().ToByteArray(); // last one wins, as protobuf merges repeated singular fields
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }

    private static long? VarintField(byte[] message, int number)
    {
        var input = new CodedInputStream(message);
        long? found = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
            {
                found = input.ReadInt64();
            }
            else
            {
                input.SkipLastField();
            }
        }

        return found;
    }
}
