using System.Diagnostics;

namespace Flock.Akash.Diagnostics;

/// <summary>
/// The names under which the Akash client reports itself: spans on the ActivitySource and instruments on the Meter
/// both called "Flock.Akash". Only System.Diagnostics types are used here, so this library stays free of any
/// telemetry SDK; the host decides whether and where spans and metrics go.
/// </summary>
public static class AkashDiagnostics
{
    /// <summary>Name of the ActivitySource and of the Meter.</summary>
    public const string Name = "Flock.Akash";

    /// <summary>
    /// Spans for chain RPCs, transactions and provider calls. Stateless: an ActivitySource only forwards to whatever
    /// listeners the host registered, so one per process is the documented pattern.
    /// </summary>
    public static readonly ActivitySource ActivitySource = new(Name);
}
