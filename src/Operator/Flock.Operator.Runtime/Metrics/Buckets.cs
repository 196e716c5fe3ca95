namespace Flock.Operator.Runtime.Metrics;

/// <summary>Histogram bucket boundaries, in seconds, taken from client-go and controller-runtime so their dashboards read ours.</summary>
public static class Buckets
{
    /// <summary>controller-runtime's reconcile_time_seconds buckets.</summary>
    public static IReadOnlyList<double> Reconcile { get; } =
    [
        0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0,
        1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60,
    ];

    /// <summary>client-go's workqueue buckets: powers of ten from 10 ns to 1000 s.</summary>
    public static IReadOnlyList<double> Queue { get; } = [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10, 100, 1000];

    /// <summary>client-go's rest_client_request_duration_seconds buckets, used for every outside call.</summary>
    public static IReadOnlyList<double> Request { get; } = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60];
}
