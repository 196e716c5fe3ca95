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

    /// <summary>Seconds between two looks for a broadcast transaction in a block (GetTx).</summary>
    public double TxPollSeconds { get; init; } = 1;

    /// <summary>Blocks to collect bids on an order before choosing, when placement.akash.bidWindow is unset.</summary>
    public int BidWindowBlocks { get; init; } = 5;

    /// <summary>Average block time, for prices per hour and runway in time (mainnet ≈ 6.174 s).</summary>
    public double BlockSeconds { get; init; } = EscrowLedger.DefaultBlockSeconds;

    /// <summary>AKT burned per ACT wanted when minting (the oracle's price, with margin); a short mint is topped up after it settles.</summary>
    public decimal MintAktPerAct { get; init; } = 1.05m;

    /// <summary>Blocks to wait after a MsgMintACT before minting again (mainnet executes mints at the next epoch).</summary>
    public int MintSettleBlocks { get; init; } = 20;

    /// <summary>uakt kept back for gas when deciding how much AKT may be burned.</summary>
    public ulong FeeReserveUakt { get; init; } = 1_000_000;

    /// <summary>How long the lease's provider may be unreachable before the lease is replaced.</summary>
    public double ProviderGraceSeconds { get; init; } = 300;

    /// <summary>How long a provider that failed a lease, or whose /status did not answer before leasing, is passed over.</summary>
    public double AvoidProviderMinutes { get; init; } = 60;

    /// <summary>
    /// How long a bidder's GET /status may take before leasing from it (Console's PROVIDER_STATUS_PROBE_TIMEOUT_MS,
    /// akash-network/console deploy-web useProvidersQuery.ts: 5 s); a provider that does not answer is skipped.
    /// </summary>
    public double ProviderStatusTimeoutSeconds { get; init; } = 5;

    /// <summary>
    /// An order without an eligible bid this long after the operator first saw it open (and after the bid window) is
    /// given up: the deployment is closed, its escrow comes back, and a new deployment orders again after a backoff.
    /// 60 s, as Console waits for a first bid before closing the deployment (deploy-web useDeploymentFlow.ts
    /// NO_BIDS_TIMEOUT_MS): providers bid when the order is created (bidengine/service.go) and never again on it, so
    /// a bid that has not come by then is not coming; and it must stay well below the providers' 5-minute bid timeout
    /// (flags.go --bid-timeout), after which every bid on the order is closed.
    /// </summary>
    public double OrderTimeoutSeconds { get; init; } = 60;

    /// <summary>The wait before the first new order after a given-up one; it doubles with each further try.</summary>
    public double ReorderBackoffSeconds { get; init; } = 60;

    /// <summary>The longest wait between two orders (30 minutes): a market without a fitting provider is asked again at least this often.</summary>
    public double ReorderBackoffMaxSeconds { get; init; } = 1800;

    /// <summary>
    /// Top up a leased deployment's escrow when its runway at the lease price falls under this many hours, for resources
    /// that set no escrow.topUpBelow: Console's AUTO_TOP_UP_LOOK_AHEAD_WINDOW_IN_H (akash-network/console
    /// apps/api/src/deployment/config/env.config.ts: 24). With the 5 ACT default deposit a GPU lease starts under it, so
    /// the first pass after the lease tops up, as Console funds a deployment when its lease starts. 0 turns default top-ups off.
    /// </summary>
    public double TopUpBelowHours { get; init; } = 24;

    /// <summary>
    /// How many hours of runway a default top-up refills to: Console's AUTO_TOP_UP_TARGET_RUNWAY_IN_H (48), counting what the
    /// escrow already holds. Kept above TopUpBelowHours (the threshold gives way otherwise) so a top-up is never zero.
    /// </summary>
    public double RefillToHours { get; init; } = 48;

    /// <summary>
    /// Status shows a falling escrow balance again once the runway dropped by this many blocks (100 ≈ 10 minutes on
    /// mainnet); rises and lease changes show at once. Saves a status write per poll of every leased worker.
    /// </summary>
    public long EscrowRefreshBlocks { get; init; } = 100;
}
