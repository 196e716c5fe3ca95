using Flock.Crds.V1Alpha1;
using Flock.Install.Tests.Support;

namespace Flock.Install.Tests;

/// <summary>Two operator processes of one release: one leads and reconciles, the other waits ready; killing the leader hands over.</summary>
[Collection(InstallCollection.Name)]
public sealed class LeaderFailoverTests(InstallWorld world)
{
    private const string Team = "team-ha";

    // Shorter than the chart's 15 s lease so a takeover fits the test; the election itself is the operator's own.
    private static readonly string[] FastLease =
    [
        "--Operator:LeaderElection:LeaseDurationSeconds=4", "--Operator:LeaderElection:RenewDeadlineSeconds=3",
        "--Operator:LeaderElection:RetryPeriodSeconds=0.5",
    ];

    [Fact]
    public async Task Killing_the_leader_hands_reconciling_to_the_standby()
    {
        using var client = world.Client();
        await world.CreateNamespaceAsync(Team);
        await client.CreateCredentialsAsync(Team);
        var release = await world.InstallAsync("flock-ha", "flock-ha", "--set", $"watchNamespaces={{{Team}}}");
        await using var a = await release.StartOperatorAsync("flock-ha-a", FastLease);
        await using var b = await release.StartOperatorAsync("flock-ha-b", FastLease);

        // Both are ready (caches synced) whatever their role: a standby that never turned ready would stall rollouts.
        await Eventually.TrueAsync(async () => await a.Process.IsReadyAsync() && await b.Process.IsReadyAsync(), "both operators ready");
        string? holder = null;
        await Eventually.TrueAsync(async () => (holder = (await client.CoordinationV1.ReadNamespacedLeaseAsync("flock-operator-leader", release.Namespace)).Spec.HolderIdentity) is "flock-ha-a" or "flock-ha-b",
            "one of them holds the Lease");
        var (leader, standby) = holder == "flock-ha-a" ? (a, b) : (b, a);

        await client.CreateTrainingNodeAsync(Team, "first", world.Trainer.Address);
        await Eventually.TrueAsync(async () => (await client.TrainingNodeAsync(Team, "first"))?.Status?.Phase == Phase.Running, "first Running");
        Assert.Contains(leader.Audit.Entries, e => e.IsWrite && e.Path.EndsWith("/flocktrainingnodes/first/status", StringComparison.Ordinal));
        // The standby only ever touches the Lease.
        Assert.DoesNotContain(standby.Audit.Entries, e => e.IsWrite && !e.Path.StartsWith("/apis/coordination.k8s.io/", StringComparison.Ordinal));

        await leader.Process.KillAsync();
        await Eventually.TrueAsync(async () => (await client.CoordinationV1.ReadNamespacedLeaseAsync("flock-operator-leader", release.Namespace)).Spec.HolderIdentity == standby.Process.Identity,
            "the standby takes the Lease over");
        await client.CreateTrainingNodeAsync(Team, "second", world.Trainer.Address);
        await Eventually.TrueAsync(async () => (await client.TrainingNodeAsync(Team, "second"))?.Status?.Phase == Phase.Running, "second Running under the new leader");

        Assert.Contains(standby.Audit.Entries, e => e.IsWrite && e.Path.EndsWith("/flocktrainingnodes/second/status", StringComparison.Ordinal));
        Assert.Equal(Phase.Running, (await client.TrainingNodeAsync(Team, "first"))!.Status!.Phase);
        Assert.Empty(leader.Audit.Forbidden);
        Assert.Empty(standby.Audit.Forbidden);
    }
}
