using Flock.Operator.Runtime.Client;
using Flock.Operator.Telemetry;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>
/// Composes the operator process: configuration (appsettings, env Operator__Key, --flags), the
/// Kubernetes connection, telemetry, the controller manager, and the /healthz, /readyz and /metrics (Prometheus) listeners.
/// </summary>
public static class OperatorApplication
{
    /// <summary>Command-line flags and the configuration keys they set.</summary>
    public static readonly IReadOnlyDictionary<string, string> Flags = new Dictionary<string, string>
    {
        ["--kubeconfig"] = "Operator:Kubeconfig",
        ["--watch-namespaces"] = "Operator:WatchNamespaces",
        ["--workers"] = "Operator:Workers",
        ["--health-port"] = "Operator:HealthPort",
        ["--metrics-port"] = "Operator:MetricsPort",
        ["--bind-address"] = "Operator:BindAddress",
        ["--leader-elect"] = "Operator:LeaderElection:Enabled",
        ["--leader-election-namespace"] = "Operator:LeaderElection:Namespace",
        ["--leader-election-id"] = "Operator:LeaderElection:LeaseName",
        ["--identity"] = "Operator:LeaderElection:Identity",
        ["--otlp-endpoint"] = "Telemetry:OtlpEndpoint",
    };

    public static WebApplication Build(string[] args, Action<IServiceCollection, IConfiguration>? addControllers = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Configuration.AddCommandLine(args, Flags.ToDictionary(f => f.Key, f => f.Value));
        builder.Services.Configure<OperatorOptions>(builder.Configuration.GetSection(OperatorOptions.Section));
        var options = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        builder.WebHost.UseUrls($"http://{options.BindAddress}:{options.HealthPort}", $"http://{options.BindAddress}:{options.MetricsPort}");
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddFlockTelemetry(builder.Configuration);
        // Every API call goes through the span and request-metrics handlers, then any handler registered in DI (test counters).
        builder.Services.AddSingleton<IKubernetes>(sp => new Kubernetes(ClientConfiguration(options),
            [new KubeSpanHandler(), new Metrics.RequestMetricsHandler(sp.GetRequiredService<Metrics.RequestMetrics>()), .. sp.GetServices<DelegatingHandler>()]));
        builder.Services.AddSingleton(sp => new KubeRestClient(sp.GetRequiredService<IKubernetes>()));
        builder.Services.AddSingleton(new HealthState { LeaderElectionEnabled = options.LeaderElection.Enabled });
        builder.Services.AddSingleton<ControllerManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ControllerManager>());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(40));
        addControllers?.Invoke(builder.Services, builder.Configuration);

        var app = builder.Build();
        var health = app.Services.GetRequiredService<HealthState>();
        // Served on every listener: probes use the health port, and the answers are the same on any port.
        app.MapGet("/healthz", () => Results.Text("ok"));
        TelemetryServices.StartObserving(app.Services);
        app.MapPrometheusScrapingEndpoint();
        app.MapGet("/readyz", () => health.Ready
            ? Results.Text("ok")
            : Results.Text(health.Synced ? "waiting for leadership" : "caches not synced", statusCode: 503));
        return app;
    }

    private static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options)
    {
        if (!string.IsNullOrEmpty(options.Kubeconfig)) return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile();
    }

    public static string Usage() =>
        "flock-operator: runs FlockTrainingNode and FlockValidator resources.\n\nOptions (each also settable as an environment variable, e.g. Operator__WatchNamespaces):\n"
        + string.Join("\n", Flags.Select(f => $"  {f.Key,-30} {f.Value}"))
        + "\n  --help                         print this text\n";
}
