using Flock.Operator.Controllers;
using Flock.Operator.FlockTasks;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Staking;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator;

/// <summary>The FLock settings: section "Flock" (env Flock__ApiBaseUrl, …).</summary>
public sealed record FlockOptions
{
    public const string Section = "Flock";

    /// <summary>The fed-ledger API; the production one by default.</summary>
    public string ApiBaseUrl { get; init; } = FlockApiClient.ProductionBaseUrl.AbsoluteUri;

    /// <summary>Seconds between two reads of one task.</summary>
    public double TaskPollSeconds { get; init; } = 60;

    /// <summary>Seconds a FLock API call may take.</summary>
    public double RequestTimeoutSeconds { get; init; } = 15;
}

public static class FlockServices
{
    /// <summary>The worker controllers with their FLock task tracking.</summary>
    public static void AddFlockWorkers(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(FlockOptions.Section).Get<FlockOptions>() ?? new FlockOptions();
        services.AddSingleton(sp => new FlockApiClient(
            new HttpClient { Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds) }, new Uri(options.ApiBaseUrl), sp.GetService<Telemetry.FlockMetrics>()));
        services.AddSingleton(sp => new TaskTracker(sp.GetRequiredService<FlockApiClient>(),
            new TaskTrackerOptions { PollInterval = TimeSpan.FromSeconds(options.TaskPollSeconds) },
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<TaskTracker>>()));
        services.AddHostedService(sp => sp.GetRequiredService<TaskTracker>());
        var staking = configuration.GetSection(StakingOptions.Section).Get<StakingOptions>() ?? new StakingOptions();
        services.AddSingleton(staking);
        services.AddSingleton(sp => new StakeTracker(
            new StakeTrackerOptions { PollInterval = TimeSpan.FromSeconds(staking.PollSeconds), EventPollInterval = TimeSpan.FromSeconds(staking.EventPollSeconds) },
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<StakeTracker>>(), sp.GetService<Telemetry.FlockMetrics>()));
        services.AddHostedService(sp => sp.GetRequiredService<StakeTracker>());
        var akash = configuration.GetSection(Backends.Akash.AkashOptions.Section).Get<Backends.Akash.AkashOptions>() ?? new Backends.Akash.AkashOptions();
        if (!string.IsNullOrWhiteSpace(akash.GrpcUrl))
        {
            services.AddSingleton(sp => new Flock.Akash.Client.AkashChainClient(
                new Flock.Akash.Client.AkashClientOptions(new Uri(akash.GrpcUrl), akash.ChainId), sp.GetRequiredService<ILogger<Flock.Akash.Client.AkashChainClient>>(),
                sp.GetService<Flock.Akash.Diagnostics.AkashMetrics>()));
            services.AddSingleton<Flock.Akash.Client.SigningLanes>();
            services.AddSingleton(sp => new Flock.Akash.Client.TxSubmitter(sp.GetRequiredService<Flock.Akash.Client.AkashChainClient>(),
                sp.GetRequiredService<Flock.Akash.Client.SigningLanes>(), new Flock.Akash.Client.TxSubmitterOptions(PollInterval: TimeSpan.FromSeconds(akash.TxPollSeconds)),
                sp.GetRequiredService<ILogger<Flock.Akash.Client.TxSubmitter>>()));
            services.AddSingleton(akash);
            services.AddSingleton(sp => new Backends.Akash.AkashSecrets(sp.GetRequiredService<Runtime.Client.KubeRestClient>()));
            services.AddSingleton<Backends.Akash.LeaseAcquirer>();
            services.AddSingleton<Backends.Akash.AkashFunding>();
            services.AddSingleton(sp => new Flock.Akash.ProviderApi.ProviderClient(logger: sp.GetRequiredService<ILogger<Flock.Akash.ProviderApi.ProviderClient>>(),
                timeProvider: sp.GetRequiredService<TimeProvider>()));
            services.AddSingleton<Backends.Akash.ProviderProbe>();
            services.AddSingleton<Backends.Akash.ProviderLeaseSync>();
            services.AddSingleton<Backends.Akash.DseqAllocator>();
            services.AddSingleton<Backends.Akash.AkashBackend>();
        }

        services.AddSingleton<IControllerSetup>(sp => new WorkerControllerSetup(
            sp.GetRequiredService<TaskTracker>(), sp.GetRequiredService<StakeTracker>(), staking, sp.GetService<Backends.Akash.AkashBackend>()));
    }
}
