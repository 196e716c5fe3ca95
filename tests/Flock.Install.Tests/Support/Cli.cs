using System.Diagnostics;

namespace Flock.Install.Tests.Support;

/// <summary>What a finished command printed and how it exited.</summary>
internal sealed record CliResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"`{Command}` exited {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>The real helm and kubectl from .tools/bin against one kubeconfig, with their caches in a private directory.</summary>
internal sealed class Cli(string kubeconfig, string home)
{
    public Task<CliResult> HelmAsync(params string[] args) => RunAsync(Repo.Tool("helm"), args, null);

    public Task<CliResult> KubectlAsync(params string[] args) => RunAsync(Repo.Tool("kubectl"), args, null);

    public Task<CliResult> KubectlWithInputAsync(string stdin, params string[] args) => RunAsync(Repo.Tool("kubectl"), args, stdin);

    /// <summary>Runs and fails the test when the command fails; returns stdout.</summary>
    public static string Ok(CliResult result)
    {
        Assert.True(result.Succeeded, result.ToString());
        return result.StdOut;
    }

    private async Task<CliResult> RunAsync(string tool, string[] args, string? stdin)
    {
        var start = new ProcessStartInfo(tool);
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["HOME"] = home;
        start.Environment["KUBECACHEDIR"] = Path.Combine(home, "kube-cache");
        start.Environment["HELM_CACHE_HOME"] = Path.Combine(home, "helm-cache");
        start.Environment["HELM_CONFIG_HOME"] = Path.Combine(home, "helm-config");
        start.Environment["HELM_DATA_HOME"] = Path.Combine(home, "helm-data");
        var result = await ChildProcess.RunAsync(start, stdin);
        return new CliResult($"{Path.GetFileName(tool)} {string.Join(' ', args)}", result.ExitCode, result.StdOut, result.StdErr);
    }
}
