using Flock.Crds.V1Alpha1;
using Flock.Install.Tests.Support;

namespace Flock.Install.Tests;

/// <summary>
/// `helm install` with the chart's defaults, then the operator as a process with the chart's ServiceAccount
/// and configuration: the samples a user applies reconcile, and RBAC never refuses the operator anything.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class HaInstallTests(InstallWorld world)
{
    private const string Team = "team-a";

    [Fact]
    public async Task Default_install_runs_the_samples_with_no_forbidden_request()
    {
        var release = await world.InstallAsync("flock-operator", "flock-system");
        using var client = world.Client();

        // The HA shape helm created: two replicas, a budget that keeps one, and the CRDs from the chart's crds/.
        var deployment = await release.DeploymentAsync();
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal("kubernetes.io/hostname", Assert.Single(deployment.Spec.Template.Spec.TopologySpreadConstraints).TopologyKey);
        var budget = await client.PolicyV1.ReadNamespacedPodDisruptionBudgetAsync("flock-operator", release.Namespace);
        Assert.Equal("1", budget.Spec.MinAvailable.Value);
        Assert.NotNull(await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("flocktrainingnodes.flock.io"));

        await world.CreateNamespaceAsync(Team);
        await using var op = await release.StartOperatorAsync("flock-operator-0");
        await Eventually.TrueAsync(op.Process.IsReadyAsync, "operator ready");
        foreach (var sample in new[] { "training-node-incluster.yaml", "validator.yaml", "training-node-akash.yaml" })
        {
            await world.ApplySampleAsync(sample, Team);
        }

        await Eventually.TrueAsync(async () => (await client.TrainingNodeAsync(Team, "trainer-incluster"))?.Status?.Phase == Phase.Running,
            "the in-cluster training node Running");
        await Eventually.TrueAsync(async () => (await client.ValidatorAsync(Team, "validator"))?.Status?.Phase == Phase.Running,
            "the validator Running");
        // No Akash node is configured in this install: the Akash sample says so instead of doing anything.
        await Eventually.TrueAsync(async () => (await client.TrainingNodeAsync(Team, "trainer-akash"))?.Status.HasReason("AkashNotConfigured") == true,
            "the Akash training node reports AkashNotConfigured");

        // The children, owned by their resources.
        var trainer = await client.TrainingNodeAsync(Team, "trainer-incluster");
        var worker = await client.AppsV1.ReadNamespacedDeploymentAsync("trainer-incluster-trainer", Team);
        Assert.Equal(trainer!.Metadata.Uid, Assert.Single(worker.Metadata.OwnerReferences).Uid);
        Assert.NotNull(await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("trainer-incluster-trainer-cache", Team));
        Assert.NotNull(await client.AppsV1.ReadNamespacedDeploymentAsync("validator-validator", Team));
        Assert.DoesNotContain((await client.AppsV1.ListNamespacedDeploymentAsync(Team)).Items, d => d.Metadata.Name.StartsWith("trainer-akash", StringComparison.Ordinal));
        Assert.Contains(FlockApi.CleanupFinalizer, trainer.Metadata.Finalizers ?? []);

        // It leads through the chart's Lease, in the release namespace.
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("flock-operator-leader", release.Namespace);
        Assert.Equal("flock-operator-0", lease.Spec.HolderIdentity);

        var audit = op.Audit.Entries;
        Assert.Contains(audit, e => e.IsWrite && e.Path.EndsWith("/flocktrainingnodes/trainer-incluster/status", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.Method == "PATCH" && e.Path == $"/apis/apps/v1/namespaces/{Team}/deployments/trainer-incluster-trainer"); // server-side apply
        Assert.Empty(op.Audit.Forbidden);
    }
}
