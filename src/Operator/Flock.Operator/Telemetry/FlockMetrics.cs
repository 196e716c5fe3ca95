using System.Diagnostics;
using System.Diagnostics.Metrics;
using Flock.Operator.Runtime.Metrics;
using Flock.Operator.FlockTasks;

namespace Flock.Operator.Telemetry;

/// <summary>
/// The operator's instruments for what it asks outside the cluster (the FLock API, the EVM JSON-RPC) and for what
/// the Akash lease flow sees, on the "Flock.Operator" meter of the host's <see cref="IMeterFactory"/>.
/// </summary>
public sealed class FlockMetrics
{
    private readonly Histogram<double> _flockApiDuration;
    private readonly Counter<long> _flockApiErrors;
    private readonly Histogram<double> _evmDuration;
    private readonly Counter<long> _evmErrors;
    private readonly Counter<long> _bidsSeen;

    public FlockMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(OperatorDiagnostics.Name);
        _flockApiDuration = meter.CreateHistogram("flock_api_request_duration_seconds", "s",
            "Time of FLock API calls by operation and outcome (success, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Request });
        _flockApiErrors = meter.CreateCounter<long>("flock_api_errors_total", null, "Failed FLock API calls by operation and kind of failure.");
        _evmDuration = meter.CreateHistogram("flock_evm_request_duration_seconds", "s",
            "Time of EVM JSON-RPC calls by method and outcome (success, error).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets.Request });
        _evmErrors = meter.CreateCounter<long>("flock_evm_errors_total", null, "Failed EVM JSON-RPC calls (transport or JSON-RPC error) by method.");
        _bidsSeen = meter.CreateCounter<long>("flock_akash_bids_seen_total", null, "Akash bids the lease flow saw for a resource's deployment.");
    }

    /// <summary>Records one FLock API call; <paramref name="error"/> is null when it succeeded.</summary>
    public void FlockApiCompleted(string operation, FlockApiError? error, TimeSpan duration)
    {
        _flockApiDuration.Record(duration.TotalSeconds, new TagList { { "operation", operation }, { "outcome", error is null ? "success" : "error" } });
        if (error is { } kind)
        {
            _flockApiErrors.Add(1, new TagList { { "operation", operation }, { "kind", SnakeCase(kind.ToString()) } });
        }
    }

    /// <summary>Records one JSON-RPC call by its method name (eth_call, eth_getLogs, …).</summary>
    public void EvmCompleted(string method, bool succeeded, TimeSpan duration)
    {
        _evmDuration.Record(duration.TotalSeconds, new TagList { { "method", method }, { "outcome", succeeded ? "success" : "error" } });
        if (!succeeded)
        {
            _evmErrors.Add(1, new TagList { { "method", method } });
        }
    }

    /// <summary>
    /// Counts bids the lease flow looked at for one resource. <paramref name="kind"/> is the resource's kind
    /// (FlockTrainingNode, FlockValidator); call it with the number of bids not counted before.
    /// </summary>
    public void BidsSeen(string @namespace, string name, string kind, int count)
    {
        if (count <= 0)
        {
            return;
        }

        _bidsSeen.Add(count, new TagList { { "namespace", @namespace }, { "name", name }, { "kind", kind } });
    }

    /// <summary>RateLimited → rate_limited, the label style of Prometheus.</summary>
    internal static string SnakeCase(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
