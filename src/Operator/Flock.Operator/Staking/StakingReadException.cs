namespace Flock.Operator.Staking;

/// <summary>Why a stake could not be read.</summary>
public enum StakingReadError
{
    /// <summary>The RPC endpoint did not answer, answered with an HTTP or JSON-RPC error, or timed out. Retry later.</summary>
    RpcUnavailable,

    /// <summary>The endpoint serves another chain than the settings name: a configuration error, never a silent wrong read.</summary>
    ChainIdMismatch,

    /// <summary>There is no contract code at the configured address (at the block read).</summary>
    ContractMissing,

    /// <summary>The contract answered something that is not a FlockTaskManager's answer (wrong length, not a bool, reverted call).</summary>
    MalformedResult,

    /// <summary>
    /// The node answered from a block older than a reading already made (a lagging node behind a load-balanced RPC):
    /// its answer is ignored, since it would roll the stake back in time. Retry later.
    /// </summary>
    BehindLastRead,
}

/// <summary>A stake read failed for a typed <see cref="Reason"/>. Messages never contain RPC URL paths or keys.</summary>
public sealed class StakingReadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StakingReadException(StakingReadError reason, string message, Exception? innerException = null)
        : base(message, innerException) => Reason = reason;

    /// <summary>Creates an <see cref="StakingReadError.RpcUnavailable"/> exception.</summary>
    public StakingReadException()
        : this(StakingReadError.RpcUnavailable, "The staking read failed.")
    {
    }

    /// <summary>Creates an <see cref="StakingReadError.RpcUnavailable"/> exception.</summary>
    public StakingReadException(string message)
        : this(StakingReadError.RpcUnavailable, message)
    {
    }

    /// <summary>Creates an <see cref="StakingReadError.RpcUnavailable"/> exception.</summary>
    public StakingReadException(string message, Exception innerException)
        : this(StakingReadError.RpcUnavailable, message, innerException)
    {
    }

    /// <summary>The kind of failure.</summary>
    public StakingReadError Reason { get; }

    /// <summary>True when retrying later may help (the RPC was unavailable or lagging); the other reasons need a configuration change.</summary>
    public bool IsTransient => Reason is StakingReadError.RpcUnavailable or StakingReadError.BehindLastRead;
}
