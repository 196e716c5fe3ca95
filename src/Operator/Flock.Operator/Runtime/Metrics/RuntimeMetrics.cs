using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Queue;

namespace Flock.Operator.Runtime.Metrics;

/// <summary>
/// The controller runtime's own counters, under controller-runtime's metric names so dashboards built
/// for Go operators read them: reconciles by result and their time, work-queue adds, depth and
/// retries, and leadership. Served in the Prometheus text format on /metrics.
/// </summary>
public sealed class RuntimeMetrics(RequestMetrics requests) : IControllerObserver
{
    private readonly ConcurrentDictionary<(string Controller, string Result), long> _reconciles = new();
    private readonly ConcurrentDictionary<string, (long Count, double Seconds)> _reconcileTime = new();
    private readonly ConcurrentDictionary<string, QueueCounters> _queues = new();

    /// <summary>1 while this instance leads (or leader election is off), else 0.</summary>
    public Func<bool> IsLeader { get; set; } = () => true;

    public void Reconciled(string controller, string result, TimeSpan duration)
    {
        _reconciles.AddOrUpdate((controller, result), 1, (_, n) => n + 1);
        _reconcileTime.AddOrUpdate(controller, (1, duration.TotalSeconds), (_, v) => (v.Count + 1, v.Seconds + duration.TotalSeconds));
    }

    public IWorkQueueObserver<ObjectKey> QueueObserver(string controller) => _queues.GetOrAdd(controller, _ => new QueueCounters());

    public string Render()
    {
        var text = new StringBuilder();
        Header(text, "controller_runtime_reconcile_total", "counter", "Total number of reconciliations per controller and result.");
        foreach (var ((controller, result), count) in _reconciles.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_total{{controller=\"{controller}\",result=\"{result}\"}} {count}\n");
        }

        Header(text, "controller_runtime_reconcile_time_seconds", "summary", "Length of time per reconciliation per controller.");
        foreach (var (controller, (count, seconds)) in _reconcileTime.OrderBy(e => e.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_time_seconds_sum{{controller=\"{controller}\"}} {seconds:R}\n");
            text.Append(CultureInfo.InvariantCulture, $"controller_runtime_reconcile_time_seconds_count{{controller=\"{controller}\"}} {count}\n");
        }

        Header(text, "workqueue_adds_total", "counter", "Total number of adds handled by the workqueue.");
        foreach (var (name, q) in _queues.OrderBy(e => e.Key)) text.Append(CultureInfo.InvariantCulture, $"workqueue_adds_total{{name=\"{name}\"}} {q.Adds}\n");
        Header(text, "workqueue_retries_total", "counter", "Total number of retries handled by the workqueue.");
        foreach (var (name, q) in _queues.OrderBy(e => e.Key)) text.Append(CultureInfo.InvariantCulture, $"workqueue_retries_total{{name=\"{name}\"}} {q.Retries}\n");
        Header(text, "workqueue_depth", "gauge", "Current depth of the workqueue.");
        foreach (var (name, q) in _queues.OrderBy(e => e.Key)) text.Append(CultureInfo.InvariantCulture, $"workqueue_depth{{name=\"{name}\"}} {q.Depth}\n");
        Header(text, "leader_election_master_status", "gauge", "1 while this instance is the leader.");
        text.Append(CultureInfo.InvariantCulture, $"leader_election_master_status{{name=\"flock-operator\"}} {(IsLeader() ? 1 : 0)}\n");
        requests.Render(text);
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private sealed class QueueCounters : IWorkQueueObserver<ObjectKey>
    {
        private long _adds;
        private long _retries;
        private long _depth;

        public long Adds => Interlocked.Read(ref _adds);
        public long Retries => Interlocked.Read(ref _retries);
        public long Depth => Math.Max(0, Interlocked.Read(ref _depth));

        public void Added(ObjectKey key)
        {
            Interlocked.Increment(ref _adds);
            Interlocked.Increment(ref _depth);
        }

        public void Retried(ObjectKey key) => Interlocked.Increment(ref _retries);

        public void Started(ObjectKey key) => Interlocked.Decrement(ref _depth);

        public void Finished(ObjectKey key)
        {
        }
    }
}
