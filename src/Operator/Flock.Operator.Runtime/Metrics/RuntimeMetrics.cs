using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Flock.Operator.Runtime.Diagnostics;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;
using Microsoft.Extensions.Options;

namespace Flock.Operator.Runtime.Metrics;

/// <summary>
/// The controller runtime's instruments, under controller-runtime's and client-go's metric names so dashboards and
/// alerts built for Go operators read them: reconciles by result and their time, work-queue adds, depth, retries and
/// latencies, and leadership. Created from the host's <see cref="IMeterFactory"/> on the meter the application names
/// (<see cref="RuntimeDiagnostics"/>); the application exports it (an OpenTelemetry Prometheus exporter on /metrics).
/// </summary>
public sealed class RuntimeMetrics
{
    private readonly ConcurrentDictionary<string, QueueMetrics> _queues = new();
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _reconcileErrors;
    private readonly Histogram<double> _reconcileTime;
    private readonly QueueInstruments _queueInstruments;
    private readonly TimeProvider _time;

    public RuntimeMetrics(IMeterFactory meters, RuntimeDiagnostics diagnostics, IOptions<OperatorOptions> options, TimeProvider time)
    {
        _time = time;
        var meter = meters.Create(diagnostics.MeterName);
        _reconciles = meter.CreateCounter<long>("controller_runtime_reconcile_total", null,
            "Total number of reconciliations per controller and result (success, error, requeue, requeue_after).");
        _reconcileErrors = meter.CreateCounter<long>("controller_runtime_reconcile_errors_total", null, "Total number of reconciliation errors per controller.");
        _reconcileTime = meter.CreateHistogram("controller_runtime_reconcile_time_seconds", "s", "Length of time per reconciliation per controller.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Reconcile });
        _queueInstruments = new QueueInstruments(
            meter.CreateCounter<long>("workqueue_adds_total", null, "Total number of adds handled by the workqueue."),
            meter.CreateCounter<long>("workqueue_retries_total", null, "Total number of retries handled by the workqueue."),
            meter.CreateHistogram("workqueue_queue_duration_seconds", "s", "How long an item stays in the workqueue before being requested.",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Queue }),
            meter.CreateHistogram("workqueue_work_duration_seconds", "s", "How long processing an item from the workqueue takes.",
                advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Queue }));
        meter.CreateObservableGauge("workqueue_depth", () => _queues.Values.Select(q => new Measurement<long>(q.Depth, new KeyValuePair<string, object?>("name", q.Name))),
            null, "Current depth of the workqueue.");
        var lease = options.Value.LeaderElection.LeaseName;
        meter.CreateObservableGauge("leader_election_master_status", () => new Measurement<long>(IsLeader() ? 1 : 0, new KeyValuePair<string, object?>("name", lease)),
            null, "1 while this instance leads (or leader election is off), else 0; name is the leader-election lease.");
    }

    /// <summary>Whether this instance leads (or leader election is off); set by the controller manager.</summary>
    public Func<bool> IsLeader { get; set; } = () => true;

    public void Reconciled(string controller, string result, TimeSpan duration)
    {
        var name = new KeyValuePair<string, object?>("controller", controller);
        _reconciles.Add(1, name, new KeyValuePair<string, object?>("result", result));
        _reconcileTime.Record(duration.TotalSeconds, name);
        if (result == "error")
        {
            _reconcileErrors.Add(1, name);
        }
    }

    public IWorkQueueObserver<ObjectKey> QueueObserver(string controller) =>
        _queues.GetOrAdd(controller, name => new QueueMetrics(name, _queueInstruments, _time));
}

/// <summary>The work-queue instruments every queue records into, told apart by the name label.</summary>
internal sealed record QueueInstruments(Counter<long> Adds, Counter<long> Retries, Histogram<double> QueueDuration, Histogram<double> WorkDuration);

/// <summary>
/// One queue's counters, as client-go's queue metrics keep them: an add stamps the key (the first add wins while it
/// waits), taking it out records how long it waited, finishing records how long it was worked on.
/// The queue calls these under its own lock; the stamps still take one of their own (uncontended, so nearly free)
/// so that correctness does not rest on that.
/// </summary>
internal sealed class QueueMetrics(string name, QueueInstruments instruments, TimeProvider time) : IWorkQueueObserver<ObjectKey>
{
    private readonly Lock _lock = new();
    private readonly Dictionary<ObjectKey, long> _added = new();
    private readonly Dictionary<ObjectKey, long> _started = new();
    private readonly KeyValuePair<string, object?> _tag = new("name", name);
    private long _depth;

    public string Name => name;

    public long Depth => Math.Max(0, Interlocked.Read(ref _depth));

    public void Added(ObjectKey key)
    {
        instruments.Adds.Add(1, _tag);
        Interlocked.Increment(ref _depth);
        lock (_lock) _added.TryAdd(key, time.GetTimestamp());
    }

    public void Retried(ObjectKey key) => instruments.Retries.Add(1, _tag);

    public void Started(ObjectKey key)
    {
        Interlocked.Decrement(ref _depth);
        var now = time.GetTimestamp();
        long added;
        bool wasAdded;
        lock (_lock)
        {
            wasAdded = _added.Remove(key, out added);
            _started[key] = now;
        }

        if (wasAdded) instruments.QueueDuration.Record(time.GetElapsedTime(added, now).TotalSeconds, _tag);
    }

    public void Finished(ObjectKey key)
    {
        long started;
        bool wasStarted;
        lock (_lock) wasStarted = _started.Remove(key, out started);
        if (wasStarted) instruments.WorkDuration.Record(time.GetElapsedTime(started).TotalSeconds, _tag);
    }
}
