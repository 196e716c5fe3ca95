using System.Diagnostics;
using System.Text.Json;

namespace Flock.Akash.Tests;

/// <summary>
/// Runs a script of tools/akash-reference with JSON on stdin and returns its JSON stdout. The reference packages
/// come from .tools/npm (installed by `make tools`); without them the cross-check fails and says so.
/// Secrets (mnemonics) go through stdin only, never the command line, and the scripts never echo them.
/// </summary>
internal static class NodeReference
{
    public static async Task<JsonElement> RunAsync(string script, object input, CancellationToken cancellationToken)
    {
        foreach (var package in new[] { "@cosmjs/proto-signing", "@akashnetwork/chain-sdk" })
        {
            Assert.True(
                Directory.Exists(Path.Combine(Repo.NodeModules, package)),
                $"The reference implementation {package} is missing from {Repo.NodeModules}: run `make tools`.");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.ReferenceScripts,
        };
        start.ArgumentList.Add(Path.Combine(Repo.ReferenceScripts, script));
        start.Environment["AKASH_REF_NODE_MODULES"] = Repo.NodeModules;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start (is Node.js installed?)");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input).AsMemory(), cancellationToken);
        process.StandardInput.Close();
        // A generous bound so a hung node cannot hang the suite; not a timing assertion.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var output = await stdout;
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {errors}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
