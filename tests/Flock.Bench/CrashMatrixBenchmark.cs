using System.Diagnostics;

namespace Flock.Bench;

/// <summary>
/// `make bench BENCH=crash`: the crash-point suite's full matrix (every write point of every flow, not the subset
/// `make test` runs), through dotnet test with CRASH_MATRIX=full; prints the suite's own report.
/// </summary>
internal static class CrashMatrixBenchmark
{
    public static async Task<int> RunAsync()
    {
        var root = Flock.Testing.RepositoryRoot.Path;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])
                 [
                     "test", Path.Combine(root, "tests", "Flock.Operator.Tests"), "-c", "Release", "--nologo",
                     "--filter", "FullyQualifiedName~Resilience.CrashPointSuiteTests", "--logger", "console;verbosity=detailed",
                 ])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CRASH_MATRIX"] = "full";
        using var process = Process.Start(info)!;
        var reading = Task.Run(async () =>
        {
            var (printing, printed) = (false, false);
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                // The suite's report once (from its "Crash-point suite" line to the runner's next line), then results and failures.
                if (!printed && line.Contains("Crash-point suite", StringComparison.Ordinal)) printing = true;
                else if (printing && (line.StartsWith("[xUnit.net", StringComparison.Ordinal) || line.TrimStart().StartsWith("Passed ", StringComparison.Ordinal)))
                {
                    (printing, printed) = (false, true);
                }

                if (printing || line.Contains("Total tests", StringComparison.Ordinal) || line.Contains("Failed", StringComparison.Ordinal)) Console.WriteLine(line);
            }
        });
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        await reading;
        if (process.ExitCode != 0) Console.Error.WriteLine(await errors);
        return process.ExitCode;
    }
}
