using System.Diagnostics.Metrics;
using Flock.Akash.Diagnostics;
using Flock.Operator.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Flock.Operator.Telemetry;

/// <summary>
/// Wires OpenTelemetry into the operator host: every instrument of the "Flock.Operator" and "Flock.Akash" meters
/// served in the Prometheus text format on /metrics, and spans of the same two sources exported over OTLP when an
/// endpoint is configured.
/// </summary>
public static class TelemetryServices
{
    public const string ServiceName = "flock-operator";

    /// <summary>The .NET runtime's built-in meter (one per process).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>
    /// The runtime instruments we serve: all but three gauges whose names end in "_count", which Prometheus reserves
    /// for histograms and summaries (promtool refuses them) and which say little (assemblies, timers, CPUs).
    /// </summary>
    public static bool IsExportedRuntimeInstrument(Instrument instrument) =>
        instrument.Meter.Name == RuntimeMeterName && instrument.Name is not ("dotnet.assembly.count" or "dotnet.timer.count" or "dotnet.process.cpu.count");

    public static IServiceCollection AddFlockTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddControllerRuntimeTelemetry(OperatorDiagnostics.Runtime);
        services.AddSingleton<FlockMetrics>();
        services.AddSingleton(sp => new AkashMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(sp => new WorkerStatusMetrics(sp.GetRequiredService<IMeterFactory>(), () => WorkerViews.From(Informers(sp))));

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(configuration["OTEL_SERVICE_NAME"] ?? ServiceName,
                serviceVersion: typeof(TelemetryServices).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                // The runtime's own meter (GC heap, working set, thread pool, exceptions): what tells a leak from a
                // lazy GC when the pod's memory grows.
                metrics.AddMeter(OperatorDiagnostics.Name, AkashDiagnostics.Name, RuntimeMeterName).AddPrometheusExporter();
                // Meters are matched by name process-wide; only this host's (made by its IMeterFactory) are its own.
                // A second host in the process (tests) must not show up on this one's /metrics.
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, builder) =>
                {
                    var own = sp.GetRequiredService<IMeterFactory>();
                    builder.AddView(instrument => ReferenceEquals(instrument.Meter.Scope, own) || IsExportedRuntimeInstrument(instrument) ? null : MetricStreamConfiguration.Drop);
                });
            });

        if (TelemetryOptions.TraceEndpoint(configuration) is not null)
        {
            var explicitEndpoint = ExplicitEndpoint(configuration);
            telemetry.WithTracing(tracing => tracing
                .AddSource(OperatorDiagnostics.Name, AkashDiagnostics.Name)
                .AddOtlpExporter(otlp =>
                {
                    // The standard variables are read by the exporter itself; the option, when given, wins.
                    if (explicitEndpoint is not null)
                    {
                        otlp.Endpoint = explicitEndpoint;
                    }
                }));
        }

        return services;
    }

    /// <summary>Creates every instrument now, including those nothing else asks for (they only observe), so all exist from the start.</summary>
    public static void StartObserving(IServiceProvider services)
    {
        RuntimeTelemetryServices.StartObservingRuntime(services);
        services.GetRequiredService<WorkerStatusMetrics>();
        services.GetRequiredService<FlockMetrics>();
        services.GetRequiredService<AkashMetrics>();
    }

    private static Uri? ExplicitEndpoint(IConfiguration configuration)
    {
        var key = $"{TelemetryOptions.Section}:{nameof(TelemetryOptions.OtlpEndpoint)}";
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"{key} (--otlp-endpoint) '{text}' is not an absolute http:// or https:// URL.");
    }

    private static IEnumerable<Runtime.Informers.IInformer> Informers(IServiceProvider sp) =>
        sp.GetRequiredService<ControllerManager>().Context?.Informers.All ?? [];
}
