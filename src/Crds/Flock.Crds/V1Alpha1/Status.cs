using System.Text.Json.Serialization;
using Flock.Crds.Schema;

namespace Flock.Crds.V1Alpha1;

/// <summary>The one-word summary of where a worker stands.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Phase>))]
public enum Phase
{
    /// <summary>Accepted; nothing has been started yet.</summary>
    Pending,

    /// <summary>Held back until the participant's stake is on-chain.</summary>
    AwaitingStake,

    /// <summary>The worker is being created: pod scheduling, or Akash deployment, bids and lease.</summary>
    Provisioning,

    /// <summary>The worker runs and is ready.</summary>
    Running,

    /// <summary>The worker runs but something it depends on is failing (FLock API, chain RPC, provider).</summary>
    Degraded,

    /// <summary>Stopped on purpose by spec.suspend.</summary>
    Suspended,

    /// <summary>The task no longer accepts work from this participant (submission phase over, or task completed).</summary>
    TaskClosed,

    /// <summary>The worker cannot run until a person fixes something; the Stalled condition says what.</summary>
    Failed,
}

/// <summary>Where the worker is running.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Backend>))]
public enum Backend
{
    /// <summary>A Deployment (or Jobs) in this cluster.</summary>
    InCluster,

    /// <summary>A lease on an Akash provider.</summary>
    Akash,
}

/// <summary>What the operator last read about a FLock task.</summary>
public sealed record FlockTaskStatus
{
    /// <summary>FLock task id.</summary>
    [Required, Range(1)]
    public long Id { get; init; }

    /// <summary>Task title as FLock publishes it.</summary>
    [Length(0, 1024)]
    public string? Title { get; init; }

    /// <summary>Task state as FLock reports it (submission_phase, final_validation, …).</summary>
    [Length(0, 128)]
    public string? State { get; init; }

    /// <summary>When the submission phase ends.</summary>
    [Format("date-time")]
    public DateTimeOffset? SubmissionPhaseEndsAt { get; init; }

    /// <summary>When final validation ends.</summary>
    [Format("date-time")]
    public DateTimeOffset? FinalValidationEndsAt { get; init; }

    /// <summary>Largest model, in parameters, the task accepts.</summary>
    [Range(0)]
    public long? MaxParams { get; init; }

    /// <summary>Task type as FLock reports it: training (LoRA), reinforcement_learning or llm_evaluation; absent when the API does not say (read as training).</summary>
    [Length(0, 64)]
    public string? TaskType { get; init; }

    /// <summary>When these values were last read from the FLock API (while they do not change, refreshed at most every 10 minutes).</summary>
    [Format("date-time")]
    public DateTimeOffset? LastSync { get; init; }
}

/// <summary>The stake on one task, as read from the task-manager contract.</summary>
public sealed record TaskStake
{
    /// <summary>FLock task id the stake is for.</summary>
    [Required, Range(1)]
    public long TaskId { get; init; }

    /// <summary>Staked amount in the token's smallest unit (18 decimals), as an exact integer string.</summary>
    [Pattern(Patterns.IntegerAmount), Length(1, 78)]
    public string? Amount { get; init; }

    /// <summary>Minimum stake the contract requires for this role now, in the same unit (a stake made before the minimum was raised still counts).</summary>
    [Pattern(Patterns.IntegerAmount), Length(1, 78)]
    public string? Minimum { get; init; }

    /// <summary>True when the stake counts: a positive amount, which met the minimum in force when it was made.</summary>
    public bool? Eligible { get; init; }
}

/// <summary>What the operator last read about the participant's stake.</summary>
public sealed record StakingStatus
{
    /// <summary>The address whose stake was read.</summary>
    [Length(0, 42)]
    public string? Address { get; init; }

    /// <summary>Staked amount on the task (for a validator, the smallest over its tasks), in the token's smallest unit.</summary>
    [Pattern(Patterns.IntegerAmount), Length(1, 78)]
    public string? Amount { get; init; }

    /// <summary>True when every task this resource works on has a stake that counts in the right role.</summary>
    public bool? Eligible { get; init; }

    /// <summary>Per-task stakes (a validator works on several tasks).</summary>
    [Length(0, 64), ListType("map", "taskId")]
    public IReadOnlyList<TaskStake>? Tasks { get; init; }

    /// <summary>Block number the stake was read at.</summary>
    [Range(0)]
    public long? Block { get; init; }

    /// <summary>When the stake was last read.</summary>
    [Format("date-time")]
    public DateTimeOffset? LastSync { get; init; }
}

/// <summary>The running worker as the operator last observed it.</summary>
public sealed record WorkloadStatus
{
    /// <summary>InCluster or Akash.</summary>
    public Backend? Backend { get; init; }

    /// <summary>True when the worker's container runs and is ready.</summary>
    public bool? Ready { get; init; }

    /// <summary>Container restarts counted since the worker was created.</summary>
    [Range(0)]
    public int? Restarts { get; init; }

    /// <summary>When the worker last became ready.</summary>
    [Format("date-time")]
    public DateTimeOffset? Since { get; init; }

    /// <summary>Why the worker runs where it does (for placement.mode Auto: the free GPUs found, or why none were).</summary>
    [Length(0, 512)]
    public string? PlacementReason { get; init; }

    /// <summary>The generation the placement was chosen for; Auto chooses again only when the spec changes.</summary>
    [Range(0)]
    public long? PlacedGeneration { get; init; }
}

/// <summary>The Akash deployment and lease the worker runs on.</summary>
public sealed record AkashStatus
{
    /// <summary>Bech32 address of the paying account.</summary>
    [Length(0, 65)]
    public string? Owner { get; init; }

    /// <summary>Deployment sequence: chosen and recorded here before the deployment is created, so a crash never creates a second one.</summary>
    [Range(0)]
    public long? Dseq { get; init; }

    /// <summary>Group sequence of the lease.</summary>
    [Range(0)]
    public int? Gseq { get; init; }

    /// <summary>Order sequence of the lease.</summary>
    [Range(0)]
    public int? Oseq { get; init; }

    /// <summary>Bech32 address of the provider holding the lease.</summary>
    [Length(0, 65)]
    public string? Provider { get; init; }

    /// <summary>Lease price per block with its denom (12.5uact).</summary>
    [Length(0, 128)]
    public string? Price { get; init; }

    /// <summary>Estimated cost per hour at the lease price with its denom.</summary>
    [Length(0, 128)]
    public string? PricePerHour { get; init; }

    /// <summary>Escrow left in the deployment's account with its denom.</summary>
    [Length(0, 128)]
    public string? EscrowBalance { get; init; }

    /// <summary>Blocks until the escrow runs dry at the lease price.</summary>
    [Range(0)]
    public long? Runway { get; init; }

    /// <summary>Total paid to providers for this resource so far (all its deployments), with its denom.</summary>
    [Length(0, 128)]
    public string? Spent { get; init; }

    /// <summary>Set while escrow.maxSpend keeps top-ups short of the target runway (SpendingCapReached): the deployment closes when its escrow runs dry.</summary>
    [Length(0, 512)]
    public string? TopUpCapped { get; init; }

    /// <summary>Paid to providers by this resource's earlier, closed deployments; spent includes it.</summary>
    [Length(0, 128)]
    public string? SpentBefore { get; init; }

    /// <summary>The lease and manifest version last sent to its provider (dseq/gseq/oseq/provider@hash), so a retry re-sends only when needed.</summary>
    [Length(0, 256)]
    public string? ManifestSent { get; init; }

    /// <summary>When the lease's provider first stopped answering; after the grace period the lease is replaced.</summary>
    public DateTimeOffset? ProviderUnreachableSince { get; init; }

    /// <summary>Providers not leased from for a while because a lease with them failed or their /status did not answer.</summary>
    [Length(0, 32), ListType("atomic")]
    public IReadOnlyList<AvoidedProvider>? AvoidProviders { get; init; }

    /// <summary>Height of the last MsgMintACT the operator sent for this resource (minting waits for it to settle).</summary>
    [Range(0)]
    public long? LastMintHeight { get; init; }

    /// <summary>
    /// State of the lease (active, closed) or of the deployment while no lease exists: creating, awaiting-bids,
    /// giving-up (no eligible bid came; the deployment is being closed), backoff (waiting for nextOrderAt).
    /// </summary>
    [Length(0, 64)]
    public string? LeaseState { get; init; }

    /// <summary>The open order (dseq/gseq/oseq) the operator waits on for an eligible bid; cleared once it is leased.</summary>
    [Length(0, 64)]
    public string? AwaitedOrder { get; init; }

    /// <summary>
    /// When the operator first saw that order open. Without an eligible bid Akash:OrderTimeoutSeconds later (and not
    /// before the bid window closes) it closes the deployment, so the escrow comes back, and orders again.
    /// </summary>
    public DateTimeOffset? AwaitedSince { get; init; }

    /// <summary>Deployments closed in a row because their order got no eligible bid; a lease resets it.</summary>
    [Range(0)]
    public int? Reorders { get; init; }

    /// <summary>Why the last given-up order got no lease: the bids counted by the rule that excluded them, providers that did not answer.</summary>
    [Length(0, 1024)]
    public string? ReorderReason { get; init; }

    /// <summary>The lowest price bid on the last given-up order, eligible or not, per block with its denom (12.5uact).</summary>
    [Length(0, 128)]
    public string? BestPriceSeen { get; init; }

    /// <summary>When the next deployment opens after a given-up order (the wait doubles with each try, up to Akash:ReorderBackoffMaxSeconds).</summary>
    public DateTimeOffset? NextOrderAt { get; init; }

    /// <summary>URIs the provider exposes for the worker.</summary>
    [Length(0, 16), ListType("atomic"), Items("^.{1,2048}$", 2048)]
    public IReadOnlyList<string>? Uris { get; init; }
}

/// <summary>A provider the operator does not lease from until a time, because a lease with it failed or it did not answer before leasing.</summary>
public sealed record AvoidedProvider
{
    /// <summary>Bech32 address of the provider.</summary>
    [Required, Length(1, 65)]
    public string Provider { get; init; } = "";

    /// <summary>When the provider may be chosen again.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Why it is avoided (unreachable, closed the lease, rejected the manifest, its /status did not answer before leasing).</summary>
    [Length(0, 256)]
    public string? Reason { get; init; }
}

/// <summary>What the operator observed, shared by both kinds. A user's contract: read it, never write it.</summary>
public abstract record WorkerStatus
{
    /// <summary>The metadata.generation this status describes; Ready is meaningful only when it equals metadata.generation.</summary>
    [Range(0)]
    public long? ObservedGeneration { get; init; }

    /// <summary>One-word summary: Pending, AwaitingStake, Provisioning, Running, Degraded, Suspended, TaskClosed, Failed.</summary>
    public Phase? Phase { get; init; }

    /// <summary>Ready, Reconciling and Stalled (kstatus), plus Staked, TaskOpen, WorkloadReady and LeaseActive.</summary>
    [Length(0, 16), ListType("map", "type")]
    public IReadOnlyList<Condition>? Conditions { get; init; }

    /// <summary>The participant's stake as last read from the chain.</summary>
    public StakingStatus? Staking { get; init; }

    /// <summary>The worker as last observed.</summary>
    public WorkloadStatus? Workload { get; init; }

    /// <summary>The Akash deployment and lease, when the worker runs on Akash.</summary>
    public AkashStatus? Akash { get; init; }
}
