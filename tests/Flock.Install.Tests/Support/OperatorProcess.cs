using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Flock.Install.Tests.Support;

/// <summary>
/// The built operator (flock-operator.dll) running as a child process, configured the way the chart's
/// Deployment configures its container: the same environment, plus the kubeconfig a pod would not need.
/// </summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private OperatorProcess(Process process, string identity, int healthPort)
    {
        _process = process;
        Identity = identity;
        HealthUrl = $"http://127.0.0.1:{healthPort}";
    }

    /// <summary>Its leader-election identity (POD_NAME, as in a pod).</summary>
    public string Identity { get; }

    public string HealthUrl { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What it wrote to stdout and stderr, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    /// <param name="environment">The container's environment as the chart renders it.</param>
    /// <param name="extraArgs">Flags on top (they win over the environment, as in .NET configuration).</param>
    public static OperatorProcess Start(string kubeconfig, string identity, IReadOnlyDictionary<string, string> environment, params string[] extraArgs)
    {
        var healthPort = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     Repo.OperatorDll, "--kubeconfig", kubeconfig, "--bind-address", "127.0.0.1",
                     "--health-port", healthPort.ToString(CultureInfo.InvariantCulture), "--metrics-port", FreePort().ToString(CultureInfo.InvariantCulture),
                 }.Concat(extraArgs))
        {
            start.ArgumentList.Add(arg);
        }

        // Only what the chart sets: nothing of the test runner's own configuration leaks in.
        foreach (var key in start.Environment.Keys.Where(k => k.Contains("__", StringComparison.Ordinal)).ToList()) start.Environment.Remove(key);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.Environment["POD_NAME"] = identity;
        start.Environment["DOTNET_gcServer"] = "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the operator");
        var self = new OperatorProcess(process, identity, healthPort);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) self._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) self._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return self;
    }

    /// <summary>True when /readyz answers 200 (caches synced).</summary>
    public async Task<bool> IsReadyAsync()
    {
        if (_process.HasExited) throw new InvalidOperationException($"the operator exited with {_process.ExitCode}:\n{Output}");
        try
        {
            return (await _http.GetAsync(HealthUrl + "/readyz")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL: the process dies mid-flight, renews nothing and releases nothing (a node or pod lost).</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        _http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
