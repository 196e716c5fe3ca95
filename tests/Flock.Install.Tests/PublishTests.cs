using System.Diagnostics;
using System.Text.Json.Nodes;
using Flock.Install.Tests.Support;

namespace Flock.Install.Tests;

/// <summary>
/// The image's build step, deploy/image/publish.sh (the Dockerfile and `make publish` run the same script):
/// it publishes a self-contained operator that starts without any installed .NET.
/// </summary>
[Collection(InstallCollection.Name)]
public sealed class PublishTests
{
    [Fact]
    public async Task Publish_script_produces_a_self_contained_operator_that_starts()
    {
        var output = Directory.CreateTempSubdirectory("flock-publish-").FullName;
        try
        {
            var publish = await RunAsync(Path.Combine(Repo.Root, "deploy", "image", "publish.sh"), [output], new Dictionary<string, string> { ["RID"] = "linux-x64" });
            Assert.True(publish.ExitCode == 0, publish.Output);

            var binary = Path.Combine(output, "flock-operator");
            Assert.True(File.Exists(binary), $"no apphost in {output}");
            Assert.True(File.Exists(Path.Combine(output, "libcoreclr.so")), "the runtime is not in the output: not self-contained");
            var runtimeConfig = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(output, "flock-operator.runtimeconfig.json")))!;
            Assert.NotNull(runtimeConfig["runtimeOptions"]?["includedFrameworks"]);
            Assert.Empty(Directory.GetFiles(output, "*.pdb"));

            // No dotnet on PATH and no DOTNET_ROOT: it must bring its own runtime, as in the runtime-deps image.
            var help = await RunAsync(binary, ["--help"], new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["DOTNET_ROOT"] = "/nonexistent" });
            Assert.True(help.ExitCode == 0, help.Output);
            Assert.Contains("--kubeconfig", help.Output, StringComparison.Ordinal);
            Assert.Contains("--leader-elect", help.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, string[] args, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
