using Flock.Crds.V1Alpha1;
using Flock.Install.Tests.Support;

namespace Flock.Install.Tests;

/// <summary>
/// With watchNamespaces the chart grants Roles only in those namespaces, and the operator works only there:
/// a resource elsewhere is never read, written or finalized, and no request is refused.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class WatchNamespacesTests(InstallWorld world)
{
    [Fact]
    public async Task Operator_works_only_in_the_watched_namespaces_with_per_namespace_roles()
    {
        string[] watched = ["team-b", "team-c"];
        const string elsewhere = "team-x";
        using var client = world.Client();
        foreach (var ns in watched.Append(elsewhere))
        {
            await world.CreateNamespaceAsync(ns);
            await client.CreateCredentialsAsync(ns);
        }

        var release = await world.InstallAsync("flock-scoped", "flock-scoped", "--set", "watchNamespaces={team-b,team-c}");
        var account = $"--as=system:serviceaccount:flock-scoped:{(await release.DeploymentAsync()).Spec.Template.Spec.ServiceAccountName}";
        foreach (var ns in watched)
        {
            Assert.NotNull(await client.RbacAuthorizationV1.ReadNamespacedRoleAsync("flock-scoped-flock-operator", ns));
            Assert.Equal("yes", Cli.Ok(await world.Admin.KubectlAsync("auth", "can-i", "watch", "flocktrainingnodes.flock.io", "-n", ns, account)).Trim());
        }

        Assert.Equal("no", (await world.Admin.KubectlAsync("auth", "can-i", "watch", "flocktrainingnodes.flock.io", "-n", elsewhere, account)).StdOut.Trim());
        Assert.Equal("no", (await world.Admin.KubectlAsync("auth", "can-i", "list", "secrets", "-A", account)).StdOut.Trim());

        foreach (var ns in watched.Append(elsewhere)) await client.CreateTrainingNodeAsync(ns, "trainer", world.Trainer.Address);
        await using var op = await release.StartOperatorAsync("flock-scoped-0");
        foreach (var ns in watched)
        {
            await Eventually.TrueAsync(async () => (await client.TrainingNodeAsync(ns, "trainer"))?.Status?.Phase == Phase.Running, $"{ns}/trainer Running");
        }

        // By now the operator has listed, watched and reconciled everything it was going to: the other namespace is untouched.
        var untouched = await client.TrainingNodeAsync(elsewhere, "trainer");
        Assert.Null(untouched!.Status);
        Assert.Empty(untouched.Metadata.Finalizers ?? []);
        Assert.Empty((await client.AppsV1.ListNamespacedDeploymentAsync(elsewhere)).Items);
        var audit = op.Audit.Entries;
        Assert.DoesNotContain(audit, e => e.Path.Contains($"/namespaces/{elsewhere}/", StringComparison.Ordinal));
        // Nothing cluster-wide but node reads (the one ClusterRole it has) and discovery.
        Assert.DoesNotContain(audit, e => e.Path.StartsWith("/api", StringComparison.Ordinal) && !e.Path.Contains("/namespaces/", StringComparison.Ordinal)
            && !e.Path.EndsWith("/nodes", StringComparison.Ordinal) && e.Path.Count(c => c == '/') > 3);
        Assert.Empty(op.Audit.Forbidden);
    }
}
