using System.Runtime.ExceptionServices;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Controllers;

/// <summary>
/// The one reconciler both kinds share. It reads like the spec: observe (the resource, its Secrets, placement, the
/// task and stake trackers' snapshots, what each backend has), plan (a pure value: <see cref="WorkerPlanner"/>), apply
/// the plan through the backends, and write status on every exit — with the failure in it when a step threw, so
/// <c>kubectl get</c> never shows a stale phase while only a log line knows. observedGeneration moves only when a pass
/// succeeded.
/// </summary>
public sealed partial class WorkerReconciler<T>(
    FlockKind<T> kind,
    ControllerContext context,
    Informer<T> resources,
    WorkerObserver<T> observer,
    IReadOnlyList<IWorkerBackend> backends) : IReconciler where T : class, IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromSeconds(1);
    private readonly ILogger _logger = context.Loggers.CreateLogger($"Reconciler.{kind.Resource.Kind}");

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var resource = resources.Cache.Get(key);
        if (resource is null) return ReconcileResult.Done; // gone: children follow through their owner references
        var profile = kind.Profile(resource);
        var recorded = kind.GetStatus(resource);

        if (resource.Metadata.DeletionTimestamp is not null)
        {
            await CleanUpAsync(resource, profile, recorded, ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }

        var stage = ReconcileStage.Finalizer;
        var now = context.Time.GetUtcNow();
        WorkerInputs inputs;
        WorkerPlan plan;
        AkashStatus? akashSeen = null;
        var outcome = BackendOutcome.Nothing;
        try
        {
            // The finalizer goes on before anything exists outside the resource, so nothing can leak.
            resource = await context.Finalizers.AddAsync(kind.Resource, resource, FlockApi.CleanupFinalizer, ct).ConfigureAwait(false);

            // Observe.
            stage = ReconcileStage.Placement;
            inputs = await observer.ObserveAsync(resource, profile, recorded, now, ct).ConfigureAwait(false);

            // Plan.
            plan = WorkerPlanner.Plan(inputs);
            if (plan.Settled) return ReconcileResult.After(TimeSpan.FromSeconds(1));

            // Apply: the backend the worker leaves goes first, so the worker is never on both at once.
            var target = new WorkerTarget(profile, recorded, now, observer.SecretVersions(profile), owner => observer.DseqsOfOthers(resource, owner));
            foreach (var backend in backends.OrderBy(b => b.Kind == plan.Target ? 1 : 0))
            {
                stage = backend.Kind == Crds.V1Alpha1.Backend.Akash ? ReconcileStage.Akash : ReconcileStage.InCluster;
                var result = await backend.ApplyAsync(target, plan.For(backend.Kind), ct).ConfigureAwait(false);
                if (result.Akash is not null) akashSeen = result.Akash;
                if (backend.Kind == plan.Target) outcome = result;
            }
        }
        catch (KubeApiException e) when (e.IsConflict && akashSeen is null)
        {
            // Optimistic concurrency, not a failure: the object changed after the cache gave it to this pass (a status
            // write by another client raced the finalizer patch). The newer object's watch event brings another pass;
            // the requeue is only the safety net. Nothing is reported: the next pass works on the fresh object. (Once the
            // Akash backend has reported a change, status must record it, so that case goes the failure path below.)
            LogConflict(kind.Resource.Kind, profile.Namespace, profile.Name, stage.ToString());
            return ReconcileResult.After(ConflictRetry);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // A step threw: status says so, with what was last observed, before the error goes back to the queue's backoff.
            await WriteFailureAsync(resource, recorded, ReconcileFailure.Of(stage, e), akashSeen, ct).ConfigureAwait(false);
            throw;
        }

        // Status, once, computed again from the fresh object if someone wrote in between.
        var facts = WorkerFactsOf(inputs, outcome.Workload, akashSeen ?? recorded?.Akash, recorded);
        var written = await context.Status.WriteAsync(kind.Resource, resource,
            fresh => kind.Compose(fresh, WorkerStatusBuilder.Build(facts, kind.GetStatus(fresh)?.Conditions, inputs.Generation, now)),
            kind.GetStatus, kind.SetStatus, ct).ConfigureAwait(false);
        await RecordTransitionAsync(resource, recorded?.Phase, kind.GetStatus(written), ct).ConfigureAwait(false);

        var next = backends.FirstOrDefault(b => b.Kind == plan.Target)?.NextLook(outcome, plan.Running, now);
        return next is { } delay ? ReconcileResult.After(delay) : ReconcileResult.Done;
    }

    /// <summary>The stakes a resource needs read (for the tracker's list of stakes in use).</summary>
    public static IEnumerable<Staking.StakeKey> StakeKeys(WorkerProfile profile, Staking.StakingOptions staking) => WorkerObserver<T>.StakeKeys(profile, staking);

    private static WorkerFacts WorkerFactsOf(WorkerInputs inputs, WorkloadObservation workload, AkashStatus? akash, WorkerStatus? recorded) => new()
    {
        Backend = inputs.Placement.Backend,
        Suspended = inputs.Suspended,
        Blocker = inputs.Suspended ? null : inputs.Blocker,
        Workload = workload,
        Task = inputs.Task,
        Stake = inputs.Stake,
        Akash = akash,
        Placement = inputs.Placement,
        LastSeenRunning = recorded?.Workload?.Ready == true,
    };

    private async Task WriteFailureAsync(T resource, WorkerStatus? recorded, ReconcileFailure failure, AkashStatus? akashSeen, CancellationToken ct)
    {
        LogPassFailed(kind.Resource.Kind, resource.Metadata.NamespaceProperty, resource.Metadata.Name, failure.Reason);
        try
        {
            var now = context.Time.GetUtcNow();
            var written = await context.Status.WriteAsync(kind.Resource, resource,
                fresh => kind.Compose(fresh, WorkerStatusBuilder.Failed(kind.GetStatus(fresh), failure, akashSeen, now)),
                kind.GetStatus, kind.SetStatus, ct).ConfigureAwait(false);
            await RecordTransitionAsync(resource, recorded?.Phase, kind.GetStatus(written), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            // The API server that refused the step may refuse this write too; the original error is what goes back to the queue.
            LogFailureNotWritten(e, kind.Resource.Kind, resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        }
    }

    private async Task CleanUpAsync(T resource, WorkerProfile profile, WorkerStatus? recorded, CancellationToken ct)
    {
        if (!Runtime.Status.Finalizers.Has(resource, FlockApi.CleanupFinalizer)) return;
        try
        {
            // Akash first: the deployment closes before the finalizer goes, so the escrow comes back and no lease is left to pay.
            foreach (var backend in backends.OrderBy(b => b.Kind == Crds.V1Alpha1.Backend.Akash ? 0 : 1))
            {
                var closed = await backend.CloseAsync(profile, recorded, ct).ConfigureAwait(false);
                if (closed is not null) await context.Events.NormalAsync(resource, "DeploymentClosed", closed, ct).ConfigureAwait(false);
            }

            await context.Finalizers.RemoveAsync(kind.Resource, resource, FlockApi.CleanupFinalizer, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
        {
            await WriteFailureAsync(resource, recorded, ReconcileFailure.Of(ReconcileStage.Cleanup, e), null, ct).ConfigureAwait(false);
            throw;
        }

        LogCleanedUp(kind.Resource.Kind, profile.Namespace, profile.Name);
    }

    private Task RecordTransitionAsync(T resource, Phase? before, WorkerStatus? after, CancellationToken ct)
    {
        if (after?.Phase is not { } phase || phase == before) return Task.CompletedTask;
        var ready = after.Conditions?.FirstOrDefault(c => c.Type == WorkerStatusBuilder.Ready);
        if (ready is null) return Task.CompletedTask;
        return phase is Phase.Failed or Phase.Degraded
            ? context.Events.WarningAsync(resource, ready.Reason, ready.Message, ct)
            : context.Events.NormalAsync(resource, ready.Reason, ready.Message, ct);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Kind} {Namespace}/{Name}: conflict at step {Stage}; the object changed meanwhile, looking again")]
    private partial void LogConflict(string kind, string @namespace, string name, string stage);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Namespace}/{Name}: children removed, finalizer released")]
    private partial void LogCleanedUp(string kind, string @namespace, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Namespace}/{Name}: pass failed ({Reason}); status records it")]
    private partial void LogPassFailed(string kind, string @namespace, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Namespace}/{Name}: the failure could not be written to status")]
    private partial void LogFailureNotWritten(Exception e, string kind, string @namespace, string name);
}
