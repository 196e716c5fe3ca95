using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Diagnostics;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>What an application tells the runtime about itself when it hosts controllers.</summary>
public sealed record ControllerHostOptions
{
    /// <summary>Who the writes are from: server-side apply's field manager and the source component of Events.</summary>
    public required string FieldManager { get; init; }

    /// <summary>
    /// The leader-election Lease's name when configuration names none (<see cref="LeaderElectionOptions.LeaseName"/>):
    /// an application's own, so two operators in one namespace do not elect one leader between them.
    /// </summary>
    public string? DefaultLeaseName { get; init; }

    /// <summary>The meter and ActivitySource the runtime's metrics and reconcile spans go to.</summary>
    public RuntimeDiagnostics Diagnostics { get; init; } = RuntimeDiagnostics.Named(RuntimeDiagnostics.DefaultName);

    /// <summary>How the application's custom resources are written and read.</summary>
    public KubeJson Json { get; init; } = KubeJson.Default;

    /// <summary>
    /// Handlers every API request passes through before the runtime's request metrics, outermost first (e.g. one
    /// that makes client spans). Handlers registered in DI as <see cref="DelegatingHandler"/> come after the metrics.
    /// </summary>
    public Func<IServiceProvider, IEnumerable<DelegatingHandler>> OuterHandlers { get; init; } = _ => [];
}
