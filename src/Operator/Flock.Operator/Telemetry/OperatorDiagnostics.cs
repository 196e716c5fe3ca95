using System.Diagnostics;
using Flock.Operator.Runtime.Diagnostics;

namespace Flock.Operator.Telemetry;

/// <summary>
/// The operator's own ActivitySource and Meter name, "Flock.Operator" (the Akash client reports as
/// <see cref="Flock.Akash.Diagnostics.AkashDiagnostics.Name"/>). Spans: one per reconcile with the outside calls
/// it makes as children, plus the FLock task and stake reads the trackers make on their own schedule. The controller
/// runtime reports under the same names (<see cref="Runtime"/>), so its metrics and spans are the operator's.
/// </summary>
public static class OperatorDiagnostics
{
    public const string Name = "Flock.Operator";

    /// <summary>Stateless (it forwards to the listeners the host registered), so one per process.</summary>
    public static readonly ActivitySource ActivitySource = new(Name);

    /// <summary>The names handed to the controller runtime.</summary>
    public static RuntimeDiagnostics Runtime { get; } = new(Name, ActivitySource, MetricPrefix: "flock");
}
