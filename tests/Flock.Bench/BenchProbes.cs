using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Flock.Bench;

/// <summary>
/// What the benchmarks read from the operator process they start: a free port for it, a wait for a condition (a
/// hang guard, not a measurement), its memory from /proc and its API request counters from /metrics.
/// </summary>
internal static partial class BenchProbes
{
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls until the condition holds; a refused or timed-out HTTP probe (the process still starting) counts as "not yet".</summary>
    public static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan limit, string what = "the benchmark's condition", int pollMs = 250)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(pollMs);
        }

        throw new TimeoutException($"{what} never held");
    }

    /// <summary>Resident memory now (MiB).</summary>
    public static double RssMiB(int pid) => ProcStatusMiB(pid, "VmRSS:");

    /// <summary>Peak resident memory (MiB).</summary>
    public static double PeakRssMiB(int pid) => ProcStatusMiB(pid, "VmHWM:");

    /// <summary>rest_client_requests_total summed over all series, and the part that is not GET.</summary>
    public static (long Total, long Writes) Requests(string metrics)
    {
        long total = 0, writes = 0;
        foreach (Match match in RequestLine().Matches(metrics))
        {
            var count = long.Parse(match.Groups["count"].Value, CultureInfo.InvariantCulture);
            total += count;
            if (match.Groups["method"].Value != "GET") writes += count;
        }

        return (total, writes);
    }

    private static double ProcStatusMiB(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return double.NaN; // the process has exited
        }
    }

    // Label order and extra labels (otel_scope_name, host) are the exporter's business: match method anywhere in the set.
    [GeneratedRegex("""rest_client_requests_total\{[^}]*\bmethod="(?<method>[A-Z]+)"[^}]*\} (?<count>[0-9]+)""")]
    private static partial Regex RequestLine();
}
