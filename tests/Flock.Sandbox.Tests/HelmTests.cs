using System.Diagnostics;

namespace Flock.Sandbox.Tests;

/// <summary>The real helm 3.17 installing, upgrading, rolling back and uninstalling the operator's chart on the sandbox.</summary>
public sealed class HelmTests(KubectlFixture fx) : IClassFixture<KubectlFixture>
{
    private static readonly string HelmPath = Path.Combine(Repo.Root, ".tools", "bin", "helm");

    private async Task<(int Code, string Output)> HelmAsync(params string[] args)
    {
        if (!File.Exists(HelmPath)) Assert.Fail($"helm not found at {HelmPath}: run `make tools`");
        var psi = new ProcessStartInfo(HelmPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(fx.Kubeconfig);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["HELM_CACHE_HOME"] = Path.Combine(fx.Dir, "helm-cache");
        psi.Environment["HELM_CONFIG_HOME"] = Path.Combine(fx.Dir, "helm-config");
        psi.Environment["HELM_DATA_HOME"] = Path.Combine(fx.Dir, "helm-data");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Chart_installs_upgrades_rolls_back_and_uninstalls()
    {
        var chart = Path.Combine(Repo.Root, "deploy", "helm", "flock-operator");
        var ns = Helpers.UniqueName("helm");
        // No --wait on install/upgrade: the sandbox runs no deployment controller, so the Deployment never gets ready
        // (as on a cluster without one). Uninstall --wait only waits for the deletions.
        var install = await HelmAsync("install", "flock", chart, "-n", ns, "--create-namespace", "--skip-crds");
        Assert.True(install.Code == 0, install.Output);
        var kubectl = new Kubectl(fx.Kubeconfig);
        Assert.Contains("deployment.apps/flock-flock-operator", await kubectl.OkAsync("get", "deploy", "-n", ns, "-o", "name"));
        Assert.Contains("sh.helm.release.v1.flock.v1", await kubectl.OkAsync("get", "secrets", "-n", ns, "-o", "name"));

        // The chart's RBAC lets the operator's service account do its job, and no more.
        var sa = $"--as=system:serviceaccount:{ns}:flock-flock-operator";
        Assert.Equal("yes", (await kubectl.OkAsync("auth", "can-i", "watch", "flocktrainingnodes.flock.io", "-A", sa)).Trim());
        Assert.Equal("no", (await kubectl.RunAsync("auth", "can-i", "create", "secrets", "-n", "default", sa)).Stdout.Trim());

        var upgrade = await HelmAsync("upgrade", "flock", chart, "-n", ns);
        Assert.True(upgrade.Code == 0, upgrade.Output);
        var rollback = await HelmAsync("rollback", "flock", "1", "-n", ns);
        Assert.True(rollback.Code == 0, rollback.Output);
        var history = await HelmAsync("history", "flock", "-n", ns);
        Assert.Contains("Rollback to 1", history.Output);

        var uninstall = await HelmAsync("uninstall", "flock", "-n", ns, "--wait", "--timeout", "60s");
        Assert.True(uninstall.Code == 0, uninstall.Output);
        Assert.Equal("", (await kubectl.OkAsync("get", "deploy,secrets,serviceaccounts", "-n", ns, "-o", "name", "-l", "app.kubernetes.io/instance=flock")).Trim());
    }
}
