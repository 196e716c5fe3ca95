using System.Diagnostics;
using System.Text.Json;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Runs a tools/akash-reference script (JSON on stdin, JSON on stdout) with the reference packages of .tools/npm.
/// Mnemonics go through stdin only, never the command line.
/// </summary>
internal static class NodeReference
{
    public static string Root { get; } = Flock.Testing.RepositoryRoot.Path;

    public static async Task<JsonElement> RunAsync(string script, object input)
    {
        var modules = Path.Combine(Root, ".tools", "npm", "node_modules");
        Assert.True(Directory.Exists(Path.Combine(modules, "@akashnetwork", "chain-sdk")), $"@akashnetwork/chain-sdk is missing from {modules}: run `make tools`.");
        var scripts = Path.Combine(Root, "tools", "akash-reference");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scripts,
        };
        start.ArgumentList.Add(Path.Combine(scripts, script));
        start.Environment["AKASH_REF_NODE_MODULES"] = modules;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start (is Node.js installed?)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(hangGuard.Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node {script} exited with {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(output).RootElement.Clone();
    }
}
