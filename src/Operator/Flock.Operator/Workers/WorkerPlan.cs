using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;

namespace Flock.Operator.Workers;

/// <summary>Why a worker does not run this pass (null in a plan means nothing holds it).</summary>
public enum HoldReason
{
    /// <summary>spec.suspend: stopped on purpose.</summary>
    Suspended,

    /// <summary>An input a person must fix: a Secret or key missing, an unusable quantity, no Akash node, an unknown GPU model.</summary>
    InputProblem,

    /// <summary>The FLock API knows no such task.</summary>
    TaskNotFound,

    /// <summary>The task is of a type the worker cannot serve (an RL or LLM-evaluation task for a LoRA trainer).</summary>
    TaskTypeUnsupported,

    /// <summary>The task's phase for this role has ended.</summary>
    TaskClosed,

    /// <summary>The stake gate is Required and the stake is missing, too small, or staking is not configured.</summary>
    AwaitingStake,

    /// <summary>Right after a start the task or the stake has not been read yet: not knowing is no reason to stop a worker.</summary>
    AwaitingFirstRead,
}

/// <summary>What one backend is asked to do with the worker this pass.</summary>
public enum BackendAction
{
    /// <summary>Touch nothing; report what status recorded.</summary>
    Leave,

    /// <summary>Create or update the worker and keep it running.</summary>
    Run,

    /// <summary>The worker must not run: stop it (scale to zero in-cluster, close the deployment on Akash), creating the stopped form if needed.</summary>
    Stop,

    /// <summary>Stop the worker if it exists; never create anything just to stop it.</summary>
    StopIfExists,

    /// <summary>The worker left this backend: remove everything it had there.</summary>
    Remove,
}

/// <summary>
/// The desired state of one pass, as a value: where the worker belongs, what holds it back, and what each backend is
/// asked to do. Computed by <see cref="WorkerPlanner"/> from observed inputs alone, so every case is a unit test.
/// </summary>
/// <param name="Target">The backend the worker is placed on.</param>
/// <param name="Hold">Why it does not run, or null when it runs.</param>
/// <param name="InCluster">What the in-cluster backend does.</param>
/// <param name="Akash">What the Akash backend does.</param>
/// <param name="Settled">Status already describes this generation and nothing new is known: no backend call and no write.</param>
public sealed record WorkerPlan(Backend Target, HoldReason? Hold, BackendAction InCluster, BackendAction Akash, bool Settled = false)
{
    public bool Running => Hold is null;

    /// <summary>The action asked of one backend.</summary>
    public BackendAction For(Backend backend) => backend == Backend.Akash ? Akash : InCluster;
}

/// <summary>What the reconciler observed before acting: the planner's whole input.</summary>
public sealed record WorkerInputs
{
    public required long Generation { get; init; }
    public bool Suspended { get; init; }

    /// <summary>A problem in the resource's inputs that a person must fix.</summary>
    public WorkloadProblem? Blocker { get; init; }

    public required Placement.PlacementDecision Placement { get; init; }

    /// <summary>Null when tasks are not judged (no FLock API configured).</summary>
    public TaskVerdict? Task { get; init; }

    /// <summary>Null when stakes are not judged.</summary>
    public Staking.StakeVerdict? Stake { get; init; }

    /// <summary>The status as last written (the record of what was created, and for which generation).</summary>
    public WorkerStatus? Recorded { get; init; }

    /// <summary>The in-cluster backend has a Deployment or run for the worker, as its cache shows.</summary>
    public bool InClusterExists { get; init; }

    /// <summary>The operator has an Akash backend.</summary>
    public bool AkashConfigured { get; init; }
}
