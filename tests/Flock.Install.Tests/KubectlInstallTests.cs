using Flock.Install.Tests.Support;
using Flock.Sandbox.ApiServer;

namespace Flock.Install.Tests;

/// <summary>
/// The install without Helm (docs/install.md): `kubectl apply -f deploy/install.yaml` with the real kubectl, into a
/// sandbox API server of its own (the chart tests of this collection install the same names into theirs).
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class KubectlInstallTests : IAsyncLifetime
{
    private const string Namespace = "flock-system";
    private const string Operator = "system:serviceaccount:flock-system:flock-operator";

    private readonly string _dir = Directory.CreateTempSubdirectory("flock-kubectl-install-").FullName;
    private SandboxApiServer _server = null!;
    private Cli _admin = null!;

    public async Task InitializeAsync()
    {
        _server = await SandboxApiServer.StartAsync();
        _admin = new Cli(_server.WriteKubeconfig(Path.Combine(_dir, "admin.kubeconfig")), _dir);
    }

    [Fact]
    public async Task Apply_creates_the_operator_and_its_CRDs_and_reapplying_keeps_the_users_settings()
    {
        Cli.Ok(await _admin.KubectlAsync("apply", "-f", Repo.InstallYaml));

        // The kinds are served once their CRDs are established (what `kubectl wait` in the docs waits for).
        Cli.Ok(await _admin.KubectlAsync("wait", "--for", "condition=established", "--timeout=60s",
            "crd/flocktrainingnodes.flock.io", "crd/flockvalidators.flock.io"));
        using var client = _server.CreateClient();
        var deployment = await client.AppsV1.ReadNamespacedDeploymentAsync("flock-operator", Namespace);
        var pod = deployment.Spec.Template.Spec;
        Assert.Equal("ghcr.io/flock-operator/flock-operator:0.1.0", Assert.Single(pod.Containers).Image);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.NotNull(await client.CoreV1.ReadNamespacedServiceAccountAsync(pod.ServiceAccountName, Namespace));
        Assert.NotNull(await client.CoreV1.ReadNamespacedServiceAsync("flock-operator-metrics", Namespace));

        // The RBAC in the file is bound to that ServiceAccount: it may do the operator's work, and no more.
        Assert.Equal("yes", await CanOperatorAsync("watch", "flocktrainingnodes.flock.io", "--all-namespaces"));
        Assert.Equal("yes", await CanOperatorAsync("create", "deployments.apps", "-n", "team-a"));
        Assert.Equal("yes", await CanOperatorAsync("update", "leases.coordination.k8s.io", "-n", Namespace));
        Assert.Equal("no", await CanOperatorAsync("create", "secrets", "-n", "team-a"));

        // Applying the same file again changes nothing.
        var reapply = Cli.Ok(await _admin.KubectlAsync("apply", "-f", Repo.InstallYaml));
        Assert.All(reapply.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith(" unchanged", line, StringComparison.Ordinal));

        // The documented way to set the task-manager contract, then an upgrade by applying the file again: the
        // setting survives (kubectl's three-way merge keeps an env entry the file never had).
        const string taskManager = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
        Cli.Ok(await _admin.KubectlAsync("-n", Namespace, "set", "env", "deployment/flock-operator", $"Staking__TaskManager={taskManager}"));
        Cli.Ok(await _admin.KubectlAsync("apply", "-f", Repo.InstallYaml));
        var env = (await client.AppsV1.ReadNamespacedDeploymentAsync("flock-operator", Namespace)).Spec.Template.Spec.Containers[0].Env;
        Assert.Contains(env, e => e.Name == "Staking__TaskManager" && e.Value == taskManager);
    }

    /// <summary>`kubectl auth can-i` as the operator's ServiceAccount: "yes" or "no".</summary>
    private async Task<string> CanOperatorAsync(params string[] question)
    {
        var result = await _admin.KubectlAsync(["auth", "can-i", .. question, $"--as={Operator}"]);
        return result.StdOut.Trim();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
