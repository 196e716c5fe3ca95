using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Events;
using Flock.Operator.Runtime.Status;
using k8s;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>
/// Starts the shared informers at once (so a standby has warm caches), waits for leadership when
/// leader election is on, then runs every controller; on shutdown it drains the controllers first
/// and releases the lease last, so a successor never overlaps a reconcile still in flight. Losing
/// leadership stops the application, as controller-runtime's manager does.
/// </summary>
public sealed partial class ControllerManager(
    IKubernetes kubernetes,
    KubeRestClient client,
    IEnumerable<IControllerSetup> setups,
    IOptions<OperatorOptions> options,
    HealthState health,
    ILoggerFactory loggers,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    Metrics.RuntimeMetrics metrics,
    Diagnostics.ReconcileSpans spans) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<ControllerManager>();

    /// <summary>The context controllers were built with (exposed for tests and diagnostics).</summary>
    public ControllerContext? Context { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var settings = options.Value;
        var resync = settings.ResyncSeconds > 0 ? TimeSpan.FromSeconds(settings.ResyncSeconds) : (TimeSpan?)null;
        var informers = new SharedInformers(client, loggers, time, resync);
        var identity = settings.LeaderElection.Identity ?? Environment.GetEnvironmentVariable("POD_NAME")
            ?? $"{Environment.MachineName}-{Guid.NewGuid().ToString("N")[..8]}";
        Context = new ControllerContext(client, informers, new StatusWriter(client), new Finalizers(client),
            new EventRecorder(client, client.FieldManager, identity, time, loggers.CreateLogger<EventRecorder>()), loggers, time, settings,
            new Diagnostics.ControllerTelemetry(metrics, spans));
        metrics.IsLeader = () => !settings.LeaderElection.Enabled || health.Leading;

        var controllers = settings.Namespaces().SelectMany(ns => setups.SelectMany(s => s.Build(Context, ns))).ToList();
        using var informerStop = new CancellationTokenSource();
        var informerTasks = informers.All.Select(i => Task.Run(() => i.RunAsync(informerStop.Token), CancellationToken.None)).ToList();
        _ = Task.Run(async () =>
        {
            await Task.WhenAll(informers.All.Select(i => i.WaitForSyncAsync(informerStop.Token))).ConfigureAwait(false);
            health.MarkSynced();
            LogSynced(informers.All.Count);
        }, CancellationToken.None);

        LeaderElection? election = null;
        using var electionStop = new CancellationTokenSource();
        Task? electionTask = null;
        if (settings.LeaderElection.Enabled)
        {
            election = new LeaderElection(kubernetes, settings.LeaderElection, identity, loggers.CreateLogger<LeaderElection>());
            electionTask = Task.Run(() => election.RunAsync(electionStop.Token), CancellationToken.None);
            await Task.WhenAny(election.Leading, Task.Delay(Timeout.Infinite, stop)).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                await StopAsync(informerStop, electionStop, electionTask, informerTasks).ConfigureAwait(false);
                return;
            }

            health.SetLeading(true);
        }

        using var controllerStop = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (election is not null)
        {
            _ = election.Lost.ContinueWith(_ =>
            {
                health.SetLeading(false);
                if (!stop.IsCancellationRequested)
                {
                    LogLeadershipLost();
                    controllerStop.Cancel();
                    lifetime.StopApplication();
                }
            }, TaskScheduler.Default);
        }

        LogRunning(controllers.Count);
        await Task.WhenAll(controllers.Select(c => c.RunAsync(controllerStop.Token))).ConfigureAwait(false);

        await StopAsync(informerStop, electionStop, electionTask, informerTasks, election).ConfigureAwait(false);
    }

    // The elector stops renewing before the lease is released, or its next renewal would take it back.
    private static async Task StopAsync(CancellationTokenSource informerStop, CancellationTokenSource electionStop, Task? electionTask,
        List<Task> informerTasks, LeaderElection? election = null)
    {
        await electionStop.CancelAsync().ConfigureAwait(false);
        if (electionTask is not null) await electionTask.ConfigureAwait(false);
        if (election is not null && election.Leading.IsCompleted) await election.ReleaseAsync(CancellationToken.None).ConfigureAwait(false);
        await informerStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(informerTasks).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "caches of {Count} informers synced")]
    private partial void LogSynced(int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "running {Count} controllers")]
    private partial void LogRunning(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "leadership lost; stopping so a new leader can take over cleanly")]
    private partial void LogLeadershipLost();
}
