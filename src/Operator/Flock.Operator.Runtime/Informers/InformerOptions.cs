namespace Flock.Operator.Runtime.Informers;

/// <summary>How an informer lists and watches. Defaults are client-go's and controller-runtime's.</summary>
public sealed record InformerOptions
{
    /// <summary>Only this namespace; null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    /// <summary>Page size of the initial list (LISTs are paginated so a large kind does not time out).</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Each watch asks the server to end it after a random time in [min, 2×min] (client-go: 5 minutes).</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Every cached object is handed to the handlers again this often (controller-runtime: 10 hours); null never.</summary>
    public TimeSpan? ResyncPeriod { get; init; } = TimeSpan.FromHours(10);

    /// <summary>First retry delay after a failed list or watch; doubles up to <see cref="MaxRetryDelay"/> (client-go: 800 ms, 30 s).</summary>
    public TimeSpan InitialRetryDelay { get; init; } = TimeSpan.FromMilliseconds(800);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);
}
