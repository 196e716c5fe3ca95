using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Tests;

public sealed class HostTests
{
    private static string HostDll()
    {
        // tests/Flock.Sandbox.Tests/bin/<Configuration>/net10.0/ → the same configuration of the host.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var dll = Path.Combine(Repo.Root, "src", "Sandbox", "Flock.Sandbox.Host", "bin", configuration, tfmDir.Name, "Flock.Sandbox.Host.dll");
        Assert.True(File.Exists(dll), $"{dll} not built");
        return dll;
    }

    [Fact]
    public async Task Host_writes_kubeconfig_and_endpoints_and_stops_on_sigterm()
    {
        var dir = Path.Combine(Path.GetTempPath(), "flock-sandbox-host-" + Guid.NewGuid().ToString("N")[..8]);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { HostDll(), "--dir", dir }) psi.ArgumentList.Add(a);
        using var host = Process.Start(psi)!;
        try
        {
            var endpointsFile = Path.Combine(dir, "endpoints.json");
            await Helpers.Eventually(() => Task.FromResult(File.Exists(endpointsFile)), "endpoints.json written", 60);
            var endpoints = JsonNode.Parse(await File.ReadAllTextAsync(endpointsFile))!;
            Assert.StartsWith("https://127.0.0.1:", (string?)endpoints["url"]);
            Assert.Equal(host.Id, (int)endpoints["pid"]!);
            var kubectl = new Kubectl((string)endpoints["kubeconfig"]!);
            var namespaces = await kubectl.OkAsync("get", "namespaces", "-o", "name");
            Assert.Contains("namespace/default", namespaces);
            Assert.Contains("namespace/kube-system", namespaces);

            Process.Start("kill", ["-TERM", host.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
            await host.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            Assert.Equal(0, host.ExitCode);
            Assert.False(File.Exists(endpointsFile));
        }
        finally
        {
            if (!host.HasExited) host.Kill(entireProcessTree: true);
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
