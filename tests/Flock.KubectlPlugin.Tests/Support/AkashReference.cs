using System.Diagnostics;
using System.Text.Json;

namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>@akashnetwork/chain-sdk (tools/akash-reference/sdl.cjs run by node): the reference judge of an SDL.</summary>
internal static class AkashReference
{
    /// <summary>The chain-sdk's schema and manifest errors for an SDL; empty when it accepts it.</summary>
    public static async Task<IReadOnlyList<string>> SdlErrorsAsync(string sdl)
    {
        Assert.True(Directory.Exists(Path.Combine(Repo.NodeModules, "@akashnetwork", "chain-sdk")),
            $"@akashnetwork/chain-sdk is missing from {Repo.NodeModules}: run `make tools`");
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Repo.AkashReferenceScripts,
        };
        start.ArgumentList.Add(Path.Combine(Repo.AkashReferenceScripts, "sdl.cjs"));
        start.Environment["AKASH_REF_NODE_MODULES"] = Repo.NodeModules;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start (is Node.js installed?)");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(new[] { sdl }));
        process.StandardInput.Close();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        Assert.True(process.ExitCode == 0, $"node sdl.cjs exited {process.ExitCode}: {await stderr}");
        var result = JsonDocument.Parse(await stdout).RootElement.GetProperty("results")[0];
        return result.TryGetProperty("errors", out var errors) ? errors.EnumerateArray().Select(e => e.GetString()!).ToList() : [];
    }
}
