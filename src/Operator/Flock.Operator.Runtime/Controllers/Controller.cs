using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;
using Flock.Operator.Runtime.Sources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>
/// Runs a reconciler for one primary kind with controller-runtime's contract: changes of the primary
/// (through predicates), of owned children (to their controlling owner) and of referenced objects
/// (through a mapping, usually an index) enqueue keys, and so do events of outside sources; N workers
/// reconcile them, never two on one key; errors retry with per-key backoff, RequeueAfter schedules the
/// next look; shutdown stops taking keys and lets in-flight reconciles finish.
/// </summary>
public sealed partial class Controller<T> : Hosting.IRunnableController where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Informer<T> _primary;
    private readonly IReconciler _reconciler;
    private readonly ControllerOptions _options;
    private readonly ILogger _logger;
    private readonly List<IInformer> _sources = [];
    private readonly List<IWatchedSource> _outside = [];
    private readonly IControllerObserver _observer;

    public Controller(string name, Informer<T> primary, IReconciler reconciler, ControllerOptions options, ILogger logger,
        TimeProvider time, UpdatePredicate<T>? primaryPredicate = null, IControllerObserver? observer = null)
    {
        Name = name;
        _primary = primary;
        _reconciler = reconciler;
        _options = options;
        _logger = logger;
        _observer = observer ?? NoControllerObserver.Instance;
        Queue = new WorkQueue<ObjectKey>(MaxOfRateLimiter<ObjectKey>.ControllerDefault(time), time, _observer.QueueObserver(name));
        _sources.Add(primary);
        primary.AddHandler(new EnqueueHandler<T>(Queue, o => [ObjectKey.Of(o)], primaryPredicate ?? Predicates.PrimaryDefault));
    }

    public string Name { get; }

    public WorkQueue<ObjectKey> Queue { get; }

    /// <summary>Children whose controlling owner reference names <paramref name="ownerKind"/> enqueue that owner.</summary>
    public Controller<T> Owns<TChild>(Informer<TChild> children, string ownerKind) where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        _sources.Add(children);
        children.AddHandler(new EnqueueHandler<TChild>(Queue, child =>
            (child.Metadata.OwnerReferences ?? [])
                .Where(r => r.Controller == true && r.Kind == ownerKind)
                .Select(r => new ObjectKey(child.Metadata.NamespaceProperty, r.Name)), Predicates.Any));
        return this;
    }

    /// <summary>Objects of another kind enqueue the primaries <paramref name="map"/> names (e.g. a Secret → the resources using it).</summary>
    public Controller<T> Watches<TOther>(Informer<TOther> other, Func<TOther, IEnumerable<ObjectKey>> map) where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        _sources.Add(other);
        other.AddHandler(new EnqueueHandler<TOther>(Queue, map, Predicates.Any));
        return this;
    }

    /// <summary>
    /// Events of an outside source enqueue the primaries <paramref name="map"/> names (controller-runtime's
    /// WatchesRawSource with source.Channel). The source runs from the start of <see cref="RunAsync"/> until it ends.
    /// </summary>
    public Controller<T> WatchesSource<TEvent>(IEventSource<TEvent> source, Func<TEvent, IEnumerable<ObjectKey>> map)
    {
        _outside.Add(new SourceWatch<TEvent>(source, map, Queue, e => LogMapFailed(e, Name, typeof(TEvent).Name)));
        return this;
    }

    /// <summary>Informers this controller needs synced before its workers start.</summary>
    public IReadOnlyList<IInformer> Sources => _sources;

    /// <summary>Starts the outside sources, waits for the caches, runs the workers until <paramref name="stop"/>, then drains.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        // Outside sources first: an event that comes while the caches sync waits in the queue as a key.
        using var outsideStop = new CancellationTokenSource();
        var outside = _outside.Select(s => s.RunAsync(outsideStop.Token)).ToList();
        try
        {
            await RunWorkersAsync(stop, outsideStop).ConfigureAwait(false);
        }
        finally
        {
            await StopAsync(outsideStop, outside).ConfigureAwait(false);
        }
    }

    private async Task RunWorkersAsync(CancellationToken stop, CancellationTokenSource outsideStop)
    {
        using (var syncTimeout = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            syncTimeout.CancelAfter(_options.CacheSyncTimeout);
            await Task.WhenAll(_sources.Select(s => s.WaitForSyncAsync(syncTimeout.Token))).ConfigureAwait(false);
        }

        // Reconciles get their own token: stopping must not abort a half-done outside transaction (a chain write, say).
        using var reconcileCancel = new CancellationTokenSource();
        LogStarting(Name, _options.Workers);
        var workers = Enumerable.Range(0, _options.Workers).Select(_ => Task.Run(() => WorkAsync(reconcileCancel.Token), CancellationToken.None)).ToArray();
        try
        {
            await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await outsideStop.CancelAsync().ConfigureAwait(false);
        reconcileCancel.CancelAfter(_options.ShutdownGrace);
        Queue.ShutDown();
        await Task.WhenAll(workers).ConfigureAwait(false);
        LogStopped(Name);
    }

    // A source that failed is logged, not rethrown: the controller's own outcome is what its caller waits for.
    private async Task StopAsync(CancellationTokenSource outsideStop, List<Task> outside)
    {
        await outsideStop.CancelAsync().ConfigureAwait(false);
        foreach (var source in outside)
        {
            try
            {
                await source.ConfigureAwait(false);
            }
            catch (Exception e)
            {
                if (e is not OperationCanceledException) LogSourceFailed(e, Name);
            }
        }
    }

    private async Task WorkAsync(CancellationToken ct)
    {
        while (true)
        {
            var (ok, key) = await Queue.GetAsync(CancellationToken.None).ConfigureAwait(false);
            if (!ok) return;
            var started = DateTimeOffset.UtcNow;
            System.Diagnostics.Activity? span = null;
            try
            {
                if (Queue.ShuttingDown && ct.IsCancellationRequested) continue;
                span = _observer.ReconcileStarted(Name, _primary.Kind.Kind, key);
                var result = await _reconciler.ReconcileAsync(key, ct).ConfigureAwait(false);
                Queue.Forget(key);
                if (result.RequeueAfter is { } delay && delay > TimeSpan.Zero)
                {
                    Queue.AddAfter(key, delay);
                    Observe(span, "requeue_after", started);
                }
                else
                {
                    Observe(span, "success", started);
                }
            }
            catch (TerminalReconcileException e)
            {
                Queue.Forget(key);
                LogTerminal(e, Name, key.ToString());
                Observe(span, "error", started, e);
            }
            catch (Exception e)
            {
                if (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    LogFailed(e, Name, key.ToString(), Queue.NumRequeues(key) + 1);
                }

                Queue.AddRateLimited(key);
                Observe(span, "error", started, e);
            }
            finally
            {
                span?.Dispose();
                Queue.Done(key);
            }
        }
    }

    private void Observe(System.Diagnostics.Activity? span, string result, DateTimeOffset started, Exception? error = null)
    {
        _observer.Reconciled(Name, result, DateTimeOffset.UtcNow - started, span, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "controller {Controller} starting {Workers} workers")]
    private partial void LogStarting(string controller, int workers);

    [LoggerMessage(Level = LogLevel.Information, Message = "controller {Controller} stopped")]
    private partial void LogStopped(string controller);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Controller}: reconcile of {Key} failed (attempt {Attempt}); retrying with backoff")]
    private partial void LogFailed(Exception e, string controller, string key, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Controller}: reconcile of {Key} failed terminally; not retrying")]
    private partial void LogTerminal(Exception e, string controller, string key);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Controller}: mapping a {Event} event to keys failed; the event is dropped")]
    private partial void LogMapFailed(Exception e, string controller, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Controller}: an outside event source failed")]
    private partial void LogSourceFailed(Exception e, string controller);
}
