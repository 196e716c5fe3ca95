using System.Diagnostics;

namespace Flock.Operator.Runtime.Diagnostics;

/// <summary>
/// The meter and ActivitySource the runtime reports under. The application hands in its own, so the controller
/// metrics and reconcile spans come out beside its other telemetry under one name (exporters, dashboards and the
/// otel_scope_name label select by it) without the runtime knowing what the application is called.
/// </summary>
public sealed record RuntimeDiagnostics(string MeterName, ActivitySource ActivitySource)
{
    /// <summary>The name used when the application names none.</summary>
    public const string DefaultName = "Flock.Operator.Runtime";

    /// <summary>A meter name and a new ActivitySource of the same name.</summary>
    public static RuntimeDiagnostics Named(string name) => new(name, new ActivitySource(name));
}
