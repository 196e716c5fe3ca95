using System.Diagnostics;
using System.Text;

namespace Flock.Testing;

/// <summary>What a finished program printed and how it exited.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{StdOut}\n--- stderr ---\n{StdErr}";
}

/// <summary>Runs a program to completion, capturing its output; the caller sets its arguments and environment.</summary>
public static class ChildProcess
{
    /// <summary>A hang guard, not a performance claim: the program is killed (with its children) after this.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Starts <paramref name="start"/> with stdin, stdout and stderr redirected, writes <paramref name="stdin"/> (if any)
    /// and closes stdin, then waits for the exit.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = Encoding.UTF8;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(start.FileName)} {string.Join(' ', start.ArgumentList)} did not finish");
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }
}
