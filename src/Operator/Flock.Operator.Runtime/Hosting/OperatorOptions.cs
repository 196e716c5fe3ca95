namespace Flock.Operator.Runtime.Hosting;

/// <summary>The operator's runtime settings: section "Operator" of configuration (env Operator__Key, or --flags).</summary>
public sealed record OperatorOptions
{
    public const string Section = "Operator";

    /// <summary>Comma-separated namespaces to watch; empty watches all namespaces.</summary>
    public string? WatchNamespaces { get; init; }

    /// <summary>Path of a kubeconfig; empty uses the in-cluster service account or ~/.kube/config.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Concurrent reconciles per controller.</summary>
    public int Workers { get; init; } = 2;

    public int HealthPort { get; init; } = 8081;

    public int MetricsPort { get; init; } = 8080;

    /// <summary>Address the health and metrics listeners bind to.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>Seconds between full resyncs of the informers' caches (a safety net, not polling).</summary>
    public int ResyncSeconds { get; init; } = 36_000;

    public LeaderElectionOptions LeaderElection { get; init; } = new();

    /// <summary>The namespaces to run informers and controllers for; one null entry means all namespaces.</summary>
    public IReadOnlyList<string?> Namespaces() =>
        string.IsNullOrWhiteSpace(WatchNamespaces)
            ? [null]
            : WatchNamespaces.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct().Select(n => (string?)n).ToList();
}

/// <summary>Leader election on a coordination.k8s.io Lease; defaults are controller-runtime's.</summary>
public sealed record LeaderElectionOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>Namespace of the Lease; defaults to POD_NAMESPACE, else "default".</summary>
    public string? Namespace { get; init; }

    /// <summary>Name of the Lease; an application names its own default (<see cref="ControllerHostOptions.DefaultLeaseName"/>).</summary>
    public string LeaseName { get; init; } = "operator-leader";

    /// <summary>Holder identity; defaults to POD_NAME, else host name plus a random suffix.</summary>
    public string? Identity { get; init; }

    public double LeaseDurationSeconds { get; init; } = 15;

    public double RenewDeadlineSeconds { get; init; } = 10;

    public double RetryPeriodSeconds { get; init; } = 2;
}
