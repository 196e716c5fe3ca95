using Flock.Reliability.Tests.Fuzz.Targets;

namespace Flock.Bench;

/// <summary>
/// `make bench BENCH=fuzz`: every fuzz target of tests/Flock.Reliability.Tests run by time instead of by count
/// (FUZZ_SECONDS per target, 60 by default), with the number of inputs each checked. A broken property is
/// reported with CsCheck's seed and the shrunk input, and the run goes on to the next target.
/// </summary>
internal static class FuzzBenchmark
{
    public static int Run(int secondsPerTarget)
    {
        var report = new Report($"Fuzzing, {secondsPerTarget} s per target");
        var failures = 0;
        foreach (var (target, _) in FuzzCatalogue.All)
        {
            try
            {
                var count = target.Run(inputs: -1, seconds: secondsPerTarget);
                report.Add(target.Name, $"{count.Inputs:N0} inputs ({count.Accepted:N0} accepted, {count.Refused:N0} refused), {count.Inputs / Math.Max(count.Elapsed.TotalSeconds, 0.001):N0}/s");
            }
            catch (Exception e)
            {
                failures++;
                report.Add(target.Name, "FAILED (see below)");
                Console.Error.WriteLine($"{target.Name}: {e}");
            }
        }

        report.Print();
        return failures;
    }
}
