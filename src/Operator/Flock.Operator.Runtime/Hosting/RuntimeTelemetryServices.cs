using Flock.Operator.Runtime.Diagnostics;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>
/// The runtime's instruments and reconcile spans, on the meter and source <paramref name="diagnostics"/> names. The
/// first registration wins, so an application that registers its names before hosting keeps them.
/// </summary>
public static class RuntimeTelemetryServices
{
    public static IServiceCollection AddControllerRuntimeTelemetry(this IServiceCollection services, RuntimeDiagnostics diagnostics)
    {
        services.AddMetrics();
        services.TryAddSingleton(diagnostics);
        services.TryAddSingleton(sp => new ReconcileSpans(sp.GetRequiredService<RuntimeDiagnostics>().ActivitySource));
        services.TryAddSingleton<RequestMetrics>();
        services.TryAddSingleton<RuntimeMetrics>();
        services.TryAddSingleton(sp => new InformerMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(),
            sp.GetRequiredService<RuntimeDiagnostics>(), () => Informers(sp)));
        return services;
    }

    /// <summary>Creates the instruments now, including those that only observe, so all exist from the start.</summary>
    public static void StartObservingRuntime(IServiceProvider services)
    {
        services.GetRequiredService<RuntimeMetrics>();
        services.GetRequiredService<RequestMetrics>();
        services.GetRequiredService<InformerMetrics>();
    }

    // Read at each scrape: the informers exist only once the manager has built its controllers.
    private static IEnumerable<IInformer> Informers(IServiceProvider sp) =>
        sp.GetRequiredService<ControllerManager>().Context?.Informers.All ?? [];
}
