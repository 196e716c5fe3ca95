using System.Collections.Concurrent;
using System.Diagnostics;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The built operator (flock-operator.dll next to the tests) run as a child process against a sandbox, so a test can
/// SIGKILL it at an exact point and start another: a crash the host cannot clean up after. Its output is kept for
/// secret scans.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private OperatorProcess(Process process, ConcurrentQueue<string> output)
    {
        _process = process;
        _output = output;
    }

    public IReadOnlyList<string> Output => _output.ToList();

    public bool HasExited => _process.HasExited;

    public static OperatorProcess Start(Sandbox sandbox, ConcurrentQueue<string> output, params string[] extraArgs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "flock-operator.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])
        [
            dll, "--kubeconfig", sandbox.WriteKubeconfig(), "--health-port", "0", "--metrics-port", "0", "--bind-address", "127.0.0.1",
            "--leader-elect", "false", $"--Flock:ApiBaseUrl={sandbox.FlockApi.BaseUrl}", "--Flock:TaskPollSeconds=1",
            $"--Staking:RpcUrl={sandbox.Evm.RpcUrl}", $"--Staking:ChainId={sandbox.Evm.ChainId}", $"--Staking:TaskManager={sandbox.Evm.TaskManagerAddress}",
            "--Staking:Confirmations=0", "--Staking:PollSeconds=5", "--Staking:EventPollSeconds=0.2", .. extraArgs,
        ])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var process = new Process { StartInfo = info };
        // Everything is also kept for the test run's secret scan.
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); Resilience.TestRunRecord.Run.Line(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); Resilience.TestRunRecord.Run.Line(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new OperatorProcess(process, output);
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, no releasing of anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
