using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>
/// Leadership on a Lease with KubernetesClient's elector, plus what it lacks: on graceful shutdown the
/// leader releases the Lease (empty holder, 1 s duration, as client-go's ReleaseOnCancel does) so a
/// successor takes over at its next retry instead of waiting out the lease.
/// </summary>
public sealed partial class LeaderElection(IKubernetes kubernetes, LeaderElectionOptions options, string identity, ILogger<LeaderElection> logger)
{
    private readonly TaskCompletionSource _leading = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _isLeader;

    public string Identity { get; } = identity;

    public string Namespace { get; } = options.Namespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "default";

    public bool IsLeader => _isLeader;

    /// <summary>Completes when this instance becomes leader.</summary>
    public Task Leading => _leading.Task;

    /// <summary>Completes when leadership is lost after it was held (the process should stop, as controller-runtime does).</summary>
    public Task Lost => _lost.Task;

    /// <summary>Campaigns and holds leadership until <paramref name="ct"/> is cancelled or leadership is lost.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var config = new LeaderElectionConfig(new LeaseLock(kubernetes, Namespace, options.LeaseName, Identity))
        {
            LeaseDuration = TimeSpan.FromSeconds(options.LeaseDurationSeconds),
            RenewDeadline = TimeSpan.FromSeconds(options.RenewDeadlineSeconds),
            RetryPeriod = TimeSpan.FromSeconds(options.RetryPeriodSeconds),
        };
        using var elector = new LeaderElector(config);
        elector.OnStartedLeading += () =>
        {
            _isLeader = true;
            LogLeading(Identity, Namespace, options.LeaseName);
            _leading.TrySetResult();
        };
        elector.OnStoppedLeading += () =>
        {
            if (!_isLeader) return;
            _isLeader = false;
            if (!ct.IsCancellationRequested) LogLost(Identity);
            _lost.TrySetResult();
        };
        elector.OnNewLeader += leader => LogNewLeader(leader);
        try
        {
            await elector.RunUntilLeadershipLostAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        finally
        {
            _isLeader = false;
            _lost.TrySetResult();
        }
    }

    /// <summary>Gives the Lease up if this instance still holds it.</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        try
        {
            var lease = await kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, Namespace, cancellationToken: ct).ConfigureAwait(false);
            if (lease.Spec?.HolderIdentity != Identity) return;
            // An empty (not null) holder, as client-go writes it: the C# elector treats a null holder as
            // "no lease yet" and tries to create one, which fails forever on the existing Lease.
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.AcquireTime = DateTime.UtcNow;
            lease.Spec.RenewTime = DateTime.UtcNow;
            await kubernetes.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, options.LeaseName, Namespace, cancellationToken: ct).ConfigureAwait(false);
            LogReleased(Identity);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lease then simply expires after its duration.
            LogReleaseFailed(e, Identity);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} became leader on lease {Namespace}/{Lease}")]
    private partial void LogLeading(string identity, string @namespace, string lease);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} lost leadership")]
    private partial void LogLost(string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "leader is {Leader}")]
    private partial void LogNewLeader(string leader);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Identity} released the leader lease")]
    private partial void LogReleased(string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Identity} could not release the leader lease")]
    private partial void LogReleaseFailed(Exception e, string identity);
}
