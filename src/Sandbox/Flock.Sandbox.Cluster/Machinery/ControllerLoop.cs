using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>
/// A level-triggered control loop: wakes when an informer it listens to changes (or when the last
/// pass asked to be woken at a time), then reconciles everything it owns from the caches. The
/// simulated cluster is small, so a full pass is cheaper to reason about than per-key work queues.
/// </summary>
internal abstract class ControllerLoop : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ErrorRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ObjectRetry = TimeSpan.FromMilliseconds(250);
    private readonly Trigger _trigger = new();

    protected ControllerLoop(ClusterCaches caches, ILogger log)
    {
        Caches = caches;
        Log = log;
    }

    protected ClusterCaches Caches { get; }

    protected ILogger Log { get; }

    /// <summary>Wake on changes of this informer.</summary>
    protected void WatchInformer(IInformer informer) => informer.Changed += _trigger.Fire;

    /// <summary>Asks for another pass soon (e.g. after a test changed the kubelet's behaviour).</summary>
    public void Wake() => _trigger.Fire();

    /// <summary>One pass; returns how long it may sleep at most before the next pass (null: until a change).</summary>
    protected abstract Task<TimeSpan?> ReconcileAsync(CancellationToken ct);

    public async Task RunAsync(CancellationToken ct)
    {
        await Caches.SyncedAsync().WaitAsync(ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await ReconcileAsync(ct).ConfigureAwait(false) ?? Idle;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException or k8s.KubernetesException
                                           or OperationCanceledException)
            {
                // Conflicts and dropped connections are normal for a controller: the next pass reads fresh state.
                Log.LogDebug(e, "{Controller} pass failed; retrying", GetType().Name);
                wait = ErrorRetry;
            }
            catch (Exception e)
            {
                // Anything else is a bug or an object the loop did not expect; a control loop must survive it
                // (as a crashing kube-controller-manager would be restarted), so log loudly and carry on.
                Log.LogError(e, "{Controller} pass failed unexpectedly; retrying", GetType().Name);
                wait = ErrorRetry * 10;
            }

            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            if (wait > Idle) wait = Idle;
            try
            {
                await _trigger.WaitAsync(wait, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Runs the sync of one object so that its failure (a conflict, an object the server rejects) is
    /// logged and retried soon without starving the other objects of the same pass.
    /// </summary>
    protected async Task<TimeSpan?> GuardAsync(string what, Func<Task<TimeSpan?>> sync, CancellationToken ct)
    {
        try
        {
            return await sync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            Log.LogDebug(e, "{Controller}: sync of {Object} failed; retrying", GetType().Name, what);
            return ObjectRetry;
        }
    }

    /// <summary>The earlier of two optional wake-up delays.</summary>
    protected static TimeSpan? Earliest(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a < b ? a : b;

    public void Dispose() => _trigger.Dispose();
}
