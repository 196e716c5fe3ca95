using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Telemetry;
using Flock.Operator.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flock.Operator;

/// <summary>
/// Composes the operator process: configuration (appsettings, env Operator__Key, --flags), telemetry under the
/// "Flock.Operator" names, the controller runtime with the FLock resources' JSON, and the /healthz, /readyz and
/// /metrics (Prometheus) listeners.
/// </summary>
public static class OperatorApplication
{
    /// <summary>Command-line flags and the configuration keys they set: the runtime's, and the operator's own.</summary>
    public static IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string>(ControllerHost.Flags)
    {
        ["--otlp-endpoint"] = "Telemetry:OtlpEndpoint",
    };

    public static WebApplication Build(string[] args, Action<IServiceCollection, IConfiguration>? addControllers = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddCommandLine(args, Flags.ToDictionary(f => f.Key, f => f.Value));
        builder.Services.AddFlockTelemetry(builder.Configuration);
        builder.AddControllerRuntime(new ControllerHostOptions
        {
            FieldManager = WorkerLabels.Manager,
            DefaultLeaseName = "flock-operator-leader",
            Diagnostics = OperatorDiagnostics.Runtime,
            Json = OperatorClient.Json,
            // A client span for every API request made inside a trace (a reconcile).
            OuterHandlers = _ => [new KubeSpanHandler()],
        });
        addControllers?.Invoke(builder.Services, builder.Configuration);

        var app = builder.Build();
        app.MapControllerHealth();
        TelemetryServices.StartObserving(app.Services);
        app.MapPrometheusScrapingEndpoint();
        return app;
    }

    public static string Usage() =>
        "flock-operator: runs FlockTrainingNode and FlockValidator resources.\n\nOptions (each also settable as an environment variable, e.g. Operator__WatchNamespaces):\n"
        + string.Join("\n", Flags.Select(f => $"  {f.Key,-30} {f.Value}"))
        + "\n  --help                         print this text\n";
}
