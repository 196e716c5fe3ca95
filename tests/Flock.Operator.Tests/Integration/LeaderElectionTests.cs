using System.Collections.Concurrent;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Runtime.Informers;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.Integration;

/// <summary>Only the leader reconciles; leadership passes on when the leader dies or steps down.</summary>
public sealed class LeaderElectionTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public LeaderElectionTests(Sandbox sandbox) => _sandbox = sandbox;

    private static LeaderElectionOptions Fast(string lease) => new()
    {
        Namespace = "default",
        LeaseName = lease,
        LeaseDurationSeconds = 3,
        RenewDeadlineSeconds = 2,
        RetryPeriodSeconds = 0.5,
    };

    private LeaderElection Elector(string lease, string identity) =>
        new(_sandbox.Client(), Fast(lease), identity, NullLogger<LeaderElection>.Instance);

    private async Task<string?> HolderAsync(string lease) =>
        (await _sandbox.Client().CoordinationV1.ReadNamespacedLeaseAsync(lease, "default")).Spec?.HolderIdentity;

    [Fact]
    public async Task A_killed_leader_is_replaced_once_its_lease_expires()
    {
        var lease = "kill-" + Guid.NewGuid().ToString("N")[..6];
        var a = Elector(lease, "a");
        var b = Elector(lease, "b");
        using var stopA = new CancellationTokenSource();
        using var stopB = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await a.Leading.WaitAsync(TimeSpan.FromSeconds(30));
        var runB = b.RunAsync(stopB.Token);

        await stopA.CancelAsync(); // a dies: it stops renewing and does not release
        await runA;
        await b.Leading.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(b.IsLeader);
        Assert.Equal("b", await HolderAsync(lease));
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task A_leader_that_steps_down_releases_the_lease_for_its_successor()
    {
        var lease = "release-" + Guid.NewGuid().ToString("N")[..6];
        var a = Elector(lease, "a");
        using var stopA = new CancellationTokenSource();
        var runA = a.RunAsync(stopA.Token);
        await a.Leading.WaitAsync(TimeSpan.FromSeconds(30));

        await stopA.CancelAsync();
        await runA;
        await a.ReleaseAsync(CancellationToken.None);
        var released = await _sandbox.Client().CoordinationV1.ReadNamespacedLeaseAsync(lease, "default");

        Assert.Equal("", released.Spec.HolderIdentity);
        Assert.Equal(1, released.Spec.LeaseDurationSeconds);
        var b = Elector(lease, "b");
        using var stopB = new CancellationTokenSource();
        var runB = b.RunAsync(stopB.Token);
        await b.Leading.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("b", await HolderAsync(lease));
        await stopB.CancelAsync();
        await runB;
    }

    private sealed record Interval(string Instance, long Start, long End);

    /// <summary>A logical clock shared by both instances: it orders reconcile starts and ends without measuring time.</summary>
    private sealed class LogicalClock
    {
        private long _tick;

        public long Next() => Interlocked.Increment(ref _tick);
    }

    private sealed class RecordingReconciler(string instance, ConcurrentBag<Interval> log, LogicalClock clock) : IReconciler
    {
        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
        {
            var start = clock.Next();
            await Task.Yield();
            log.Add(new Interval(instance, start, clock.Next()));
            return ReconcileResult.Done;
        }
    }

    private sealed class RecordingSetup(string instance, ConcurrentBag<Interval> log, string ns, LogicalClock clock) : IControllerSetup
    {
        public IEnumerable<IRunnableController> Build(ControllerContext context, string? @namespace)
        {
            var informer = context.Informers.Get<V1ConfigMap>(BuiltInKinds.ConfigMap, ns);
            yield return new Controller<V1ConfigMap>("recorder", informer, new RecordingReconciler(instance, log, clock), new ControllerOptions { Workers = 2 },
                NullLogger.Instance, context.Time, Predicates.Any);
        }
    }

    private WebApplication Operator(string instance, string lease, ConcurrentBag<Interval> log, string ns, string kubeconfig, LogicalClock clock) =>
        OperatorApplication.Build(
        [
            "--kubeconfig", kubeconfig, "--health-port", "0", "--metrics-port", "0", "--bind-address", "127.0.0.1",
            "--identity", instance, "--leader-election-namespace", "default", "--leader-election-id", lease,
            "--Operator:LeaderElection:LeaseDurationSeconds=3", "--Operator:LeaderElection:RenewDeadlineSeconds=2",
            "--Operator:LeaderElection:RetryPeriodSeconds=0.5", "--Logging:LogLevel:Default=Warning",
        ], (services, _) => services.AddSingleton<IControllerSetup>(new RecordingSetup(instance, log, ns, clock)));

    [Fact]
    public async Task Two_operator_instances_never_reconcile_at_the_same_time()
    {
        var ns = "le-" + Guid.NewGuid().ToString("N")[..6];
        var lease = "ops-" + Guid.NewGuid().ToString("N")[..6];
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var kubeconfig = _sandbox.WriteKubeconfig();
        var log = new ConcurrentBag<Interval>();
        var clock = new LogicalClock();
        await using var a = Operator("a", lease, log, ns, kubeconfig, clock);
        await using var b = Operator("b", lease, log, ns, kubeconfig, clock);

        await a.StartAsync();
        await Eventually.TrueAsync(async () => await HolderAsync(lease) == "a", "a leads");
        await b.StartAsync();
        for (var i = 0; i < 30; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cm-{i}", NamespaceProperty = ns } }, ns);
        }

        await Eventually.TrueAsync(() => log.Count(i => i.Instance == "a") >= 30, "a reconciled every object");
        await a.StopAsync(); // graceful: drains, then releases the lease
        await Eventually.TrueAsync(async () => await HolderAsync(lease) == "b", "b leads");
        for (var i = 0; i < 30; i++)
        {
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync($"cm-{i}", ns);
            map.Data = new Dictionary<string, string> { ["touched"] = "yes" };
            await client.CoreV1.ReplaceNamespacedConfigMapAsync(map, map.Metadata.Name, ns);
        }

        await Eventually.TrueAsync(() => log.Count(i => i.Instance == "b") >= 30, "b reconciled every object");
        await b.StopAsync();

        var byA = log.Where(i => i.Instance == "a").ToList();
        var byB = log.Where(i => i.Instance == "b").ToList();
        Assert.All(byA, x => Assert.All(byB, y => Assert.True(x.End <= y.Start || y.End <= x.Start, "a and b reconciled at the same time")));
    }
}
