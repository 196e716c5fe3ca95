using System.Diagnostics;

namespace Flock.ApiModel.Tests.Kubectl;

/// <summary>What a kubectl run printed and how it exited.</summary>
internal sealed record KubectlResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"`{Command}` exited {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs the real kubectl (.tools/bin, else /usr/bin) against a server, with its own kubeconfig and cache.</summary>
internal sealed class KubectlRunner : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("apimodel-kubectl-").FullName;
    private readonly string _kubeconfig;

    public KubectlRunner(int port)
    {
        _kubeconfig = Path.Combine(_dir, "kubeconfig");
        File.WriteAllText(_kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: model
              cluster:
                server: http://127.0.0.1:{port}
            contexts:
            - name: model
              context: {"{"}cluster: model, user: tester, namespace: default{"}"}
            current-context: model
            users:
            - name: tester
              user: {"{"}token: not-checked{"}"}
            """);
    }

    public static string Executable
    {
        get
        {
            var bundled = Path.Combine(TestData.RepositoryRoot, ".tools", "bin", "kubectl");
            if (File.Exists(bundled))
            {
                return bundled;
            }

            return File.Exists("/usr/bin/kubectl")
                ? "/usr/bin/kubectl"
                : throw new InvalidOperationException($"kubectl not found at {bundled} or /usr/bin/kubectl: run `make tools`");
        }
    }

    public KubectlResult Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestData.RepositoryRoot,
        };
        start.Environment["KUBECONFIG"] = _kubeconfig;
        start.Environment["HOME"] = _dir;
        start.ArgumentList.Add("--cache-dir");
        start.ArgumentList.Add(Path.Combine(_dir, "cache"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start kubectl");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within {Limit}");
        }

        return new KubectlResult("kubectl " + string.Join(' ', arguments), process.ExitCode,
            stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
