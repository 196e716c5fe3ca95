namespace Flock.Sandbox.AkashChain;

/// <summary>
/// Failures a test can switch on: the node's RPC going away, CheckTx rejecting transactions with a chosen code,
/// and blocks that leave accepted transactions waiting (a congested chain).
/// </summary>
public sealed partial class ChainFaults
{
    private readonly object _gate = new();
    private readonly Queue<(string Codespace, uint Code, string Log)> _rejections = new();

    /// <summary>Every gRPC call fails with Unavailable while set.</summary>
    public bool RpcDown { get; set; }

    /// <summary>
    /// Behave like a node that serves neither cosmos.base.tendermint.v1beta1.Service (Unimplemented) nor the
    /// x-cosmos-block-height response header: a client must then report the height as unknown.
    /// </summary>
    public bool LatestHeightUnsupported { get; set; }

    /// <summary>Extra blocks a broadcast transaction waits before it is included (0 = the next block).</summary>
    public int InclusionDelayBlocks { get; set; }

    /// <summary>The next <paramref name="count"/> broadcasts are rejected in CheckTx with this code and log.</summary>
    public void RejectNextTxs(int count, uint code, string log, string codespace = "sdk")
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                _rejections.Enqueue((codespace, code, log));
            }
        }
    }

    internal (string Codespace, uint Code, string Log)? TakeRejection()
    {
        lock (_gate)
        {
            return _rejections.Count > 0 ? _rejections.Dequeue() : null;
        }
    }

    /// <summary>Back to a healthy chain.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _rejections.Clear();
        }

        RpcDown = false;
        LatestHeightUnsupported = false;
        InclusionDelayBlocks = 0;
    }
}
