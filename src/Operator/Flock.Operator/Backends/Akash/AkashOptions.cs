namespace Flock.Operator.Backends.Akash;

/// <summary>The operator-wide Akash settings: section "Akash" (env Akash__GrpcUrl, …).</summary>
public sealed record AkashOptions
{
    public const string Section = "Akash";

    /// <summary>gRPC endpoint of an Akash node; Akash placement is refused with a clear condition while it is unset.</summary>
    public string? GrpcUrl { get; init; }

    public string ChainId { get; init; } = "akashnet-2";

    /// <summary>Initial deposit when placement.akash.deposit is unset, in uact (5 ACT; the chain's minimum is 0.5 ACT).</summary>
    public ulong DefaultDeposit { get; init; } = 5_000_000;

    /// <summary>Seconds between two looks at a deployment on chain (escrow, orders, leases).</summary>
    public double PollSeconds { get; init; } = 30;
}
