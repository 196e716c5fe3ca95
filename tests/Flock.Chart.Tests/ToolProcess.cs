using System.Diagnostics;

namespace Flock.Chart.Tests;

/// <summary>What a finished command printed and how it exited.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string StdOut, string StdErr)
{
    public bool Succeeded => ExitCode == 0;

    public override string ToString() => $"`{Command}` exited {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs one of the real tools that `make tools` installs into .tools/bin.</summary>
internal static class ToolProcess
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Full path of a tool in .tools/bin; fails with a hint when it is not installed.</summary>
    public static string Locate(string tool)
    {
        var path = Path.Combine(RepositoryPaths.ToolsBin, tool);
        if (!File.Exists(path)) throw new InvalidOperationException($"{tool} not found at {path}: run `make tools`");
        return path;
    }

    public static ToolResult Run(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{executable} did not finish within {Limit}");
        }

        var command = string.Join(' ', new[] { Path.GetFileName(executable) }.Concat(start.ArgumentList));
        return new ToolResult(command, process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
