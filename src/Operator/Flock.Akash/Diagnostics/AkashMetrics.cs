using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Flock.Akash.Diagnostics;

/// <summary>How a submitted transaction ended, as flock_akash_tx_total counts it.</summary>
public enum TxOutcome
{
    /// <summary>In a block with code 0.</summary>
    Committed,

    /// <summary>Refused before a block: simulation failed, CheckTx returned a code, or the account does not exist. No fee paid.</summary>
    Rejected,

    /// <summary>In a block with a non-zero code (the fee was paid), or the node failed mid-submission (effect unknown).</summary>
    Failed,

    /// <summary>Accepted into the mempool but not seen in a block before the inclusion timeout.</summary>
    Timeout,
}

/// <summary>
/// The Akash client's instruments on the "Flock.Akash" meter: the time of every chain RPC by method and gRPC status,
/// and every transaction by its messages and outcome. Created from the host's <see cref="IMeterFactory"/>, so two
/// hosts in one process (tests) keep their numbers apart.
/// </summary>
public sealed class AkashMetrics
{
    // client-go's rest_client_request_duration_seconds buckets: a healthy query takes milliseconds, a hung one the 30 s deadline.
    private static readonly double[] RequestBuckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];

    private readonly Histogram<double> _rpcDuration;
    private readonly Counter<long> _transactions;

    public AkashMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(AkashDiagnostics.Name);
        _rpcDuration = meter.CreateHistogram("flock_akash_rpc_duration_seconds", "s",
            "Time of Akash node gRPC calls by method and outcome (the gRPC status code, snake_case).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RequestBuckets });
        _transactions = meter.CreateCounter<long>("flock_akash_tx_total", null,
            "Akash transactions submitted, by message types and outcome (committed, rejected, failed, timeout).");
    }

    /// <summary>Records one finished RPC; <paramref name="method"/> is the gRPC service/method name.</summary>
    public void RpcCompleted(string method, string outcome, TimeSpan duration) =>
        _rpcDuration.Record(duration.TotalSeconds, new TagList { { "method", method }, { "outcome", outcome } });

    /// <summary>Counts one transaction; <paramref name="messages"/> are the message type names joined by commas (MsgCreateDeployment).</summary>
    public void TxCompleted(string messages, TxOutcome outcome) =>
        _transactions.Add(1, new TagList { { "message", messages }, { "outcome", OutcomeLabel(outcome) } });

    private static string OutcomeLabel(TxOutcome outcome) => outcome switch
    {
        TxOutcome.Committed => "committed",
        TxOutcome.Rejected => "rejected",
        TxOutcome.Failed => "failed",
        _ => "timeout",
    };
}
