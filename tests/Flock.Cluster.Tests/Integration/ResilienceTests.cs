using k8s;

namespace Flock.Cluster.Tests.Integration;

public class ResilienceTests : ClusterTestBase
{
    [Fact]
    public async Task Loops_resume_after_the_server_drops_every_watch_and_forgets_its_history()
    {
        Server.Faults.DropWatches();
        Server.Faults.CompactHistory();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("after-drop"), Ns);

        await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("after-drop", Ns), d => Condition(d, "Available")?.Status == "True", "available");
    }

    [Fact]
    public async Task Loops_resume_after_the_server_restarts()
    {
        await Server.RestartAsync();
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("after-restart"), Ns);

        await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("after-restart", Ns), d => Condition(d, "Available")?.Status == "True", "available");
    }

    [Fact]
    public async Task A_settled_cluster_stops_writing()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("quiet"), Ns);
        await EventuallyAsync(() => Client.AppsV1.ReadNamespacedDeploymentAsync("quiet", Ns),
            d => Condition(d, "Progressing")?.Reason == "NewReplicaSetAvailable", "rollout complete");

        // Once everything is reconciled no loop may keep rewriting status (it would churn every watcher, the operator's included).
        var settled = await EventuallyAsync(async () =>
        {
            var before = Server.Store.ResourceVersion;
            await Task.Delay(500);
            return (before, after: Server.Store.ResourceVersion);
        }, x => x.before == x.after, "no writes for 500ms");
        Assert.Equal(settled.before, settled.after);
    }
}
