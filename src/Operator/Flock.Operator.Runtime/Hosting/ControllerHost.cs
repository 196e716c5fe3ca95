using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Metrics;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>
/// The generic half of an operator process: the runtime's settings (section "Operator", env Operator__Key, --flags),
/// the Kubernetes connection, the controller manager, and the /healthz and /readyz answers. The application adds
/// its own telemetry export, its controllers and its command line around it.
/// </summary>
public static class ControllerHost
{
    /// <summary>Command-line flags of the runtime's settings and the configuration keys they set.</summary>
    public static IReadOnlyDictionary<string, string> Flags { get; } = new Dictionary<string, string>
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
    };

    /// <summary>Registers the runtime on <paramref name="builder"/>; returns the settings read from its configuration.</summary>
    public static OperatorOptions AddControllerRuntime(this WebApplicationBuilder builder, ControllerHostOptions host)
    {
        if (host.DefaultLeaseName is { } lease)
        {
            // First, so below every other source: appsettings, the environment and --flags still name another.
            builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
            {
                InitialData = [new($"{OperatorOptions.Section}:{nameof(OperatorOptions.LeaderElection)}:{nameof(LeaderElectionOptions.LeaseName)}", lease)],
            });
        }

        builder.Services.Configure<OperatorOptions>(builder.Configuration.GetSection(OperatorOptions.Section));
        var options = builder.Configuration.GetSection(OperatorOptions.Section).Get<OperatorOptions>() ?? new OperatorOptions();
        builder.WebHost.UseUrls($"http://{options.BindAddress}:{options.HealthPort}", $"http://{options.BindAddress}:{options.MetricsPort}");
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddControllerRuntimeTelemetry(host.Diagnostics);
        // Every API call goes through the application's outer handlers (spans), the request metrics, then any handler registered in DI (test counters).
        builder.Services.AddSingleton<IKubernetes>(sp => new Kubernetes(ClientConfiguration(options),
            [.. host.OuterHandlers(sp), new RequestMetricsHandler(sp.GetRequiredService<RequestMetrics>()), .. sp.GetServices<DelegatingHandler>()]));
        builder.Services.AddSingleton(sp => new KubeRestClient(sp.GetRequiredService<IKubernetes>(), host.FieldManager, host.Json));
        builder.Services.AddSingleton(new HealthState { LeaderElectionEnabled = options.LeaderElection.Enabled });
        builder.Services.AddSingleton<ControllerManager>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ControllerManager>());
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(40));
        return options;
    }

    /// <summary>/healthz (the process answers) and /readyz (caches synced), served on every listener: the answers are the same on any port.</summary>
    public static IEndpointRouteBuilder MapControllerHealth(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.ServiceProvider.GetRequiredService<HealthState>();
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapGet("/readyz", () => health.Ready
            ? Results.Text("ok")
            : Results.Text(health.Synced ? "waiting for leadership" : "caches not synced", statusCode: 503));
        return endpoints;
    }

    private static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options)
    {
        if (!string.IsNullOrEmpty(options.Kubeconfig)) return KubernetesClientConfiguration.BuildConfigFromConfigFile(options.Kubeconfig);
        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile();
    }
}
