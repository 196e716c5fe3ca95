using System.Diagnostics;

namespace Flock.Operator.Runtime.Diagnostics;

/// <summary>
/// The meter and ActivitySource the runtime reports under. The application hands in its own, so the controller
/// metrics and reconcile spans come out beside its other telemetry under one name (exporters, dashboards and the
/// otel_scope_name label select by it) without the runtime knowing what the application is called.
/// </summary>
/// <param name="MetricPrefix">Starts the names of the runtime's own metrics (those without a client-go or
/// controller-runtime name to follow): "{prefix}_informer_relists_total".</param>
public sealed record RuntimeDiagnostics(string MeterName, ActivitySource ActivitySource, string MetricPrefix = "runtime")
{
    /// <summary>The name used when the application names none.</summary>
    public const string DefaultName = "Flock.Operator.Runtime";

    /// <summary>A meter name and a new ActivitySource of the same name.</summary>
    public static RuntimeDiagnostics Named(string name) => new(name, new ActivitySource(name));
}
