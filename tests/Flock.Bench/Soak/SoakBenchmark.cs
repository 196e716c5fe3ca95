using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Flock.Operator.Runtime.Client;
using static Flock.Bench.BenchProbes;

namespace Flock.Bench.Soak;

/// <summary>
/// Issue 11 item 5 (`make bench BENCH=soak`): 1,000 resources — a third in-cluster training nodes, a third validators,
/// a third on Akash — created, changed, suspended, resumed, deleted and recreated over SOAK_MINUTES (default 10) while
/// faults are injected in turn (API 5xx, watch drops, compaction, restarts, 409s, latency, FLock API and Akash RPC
/// outages). Figures: final state correct, event-to-reconcile latency (p50/p99), the operator's RSS over time, API
/// requests per resource. Figures only, never pass/fail.
/// </summary>
internal static partial class SoakBenchmark
{
    public static async Task RunAsync(int resources)
    {
        var minutes = double.TryParse(Environment.GetEnvironmentVariable("SOAK_MINUTES"), NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && m > 0 ? m : 10;
        var total = TimeSpan.FromMinutes(minutes);
        var clock = Stopwatch.StartNew();
        await using var world = await SoakWorld.StartAsync(gpuWorkers: resources * 2 / 3 + 50, namespaces: 10);
        var latency = new ReconcileLatency(SoakWorld.OperatorUser);
        world.Server.Faults.WriteHook = latency.OnWriteAsync;
        var (metricsPort, healthPort) = (FreePort(), FreePort());
        using var op = world.StartOperator(metricsPort, healthPort, out var log);
        using var killer = new KillOnExit(op);
        Console.WriteLine($"soak: {resources} resources over {minutes:N1} min; operator log {log}");
        using var http = new HttpClient();
        await WaitAsync(async () => (await http.GetAsync($"http://127.0.0.1:{healthPort}/readyz")).IsSuccessStatusCode, TimeSpan.FromMinutes(2));

        using var stop = new CancellationTokenSource();
        var rest = Flock.Operator.OperatorClient.Create(world.Sandbox.Client());
        var driver = new SoakDriver(world, rest, resources);
        var rss = new List<(TimeSpan At, double MiB)>();
        var heap = new List<(TimeSpan At, double MiB)>();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                rss.Add((clock.Elapsed, RssMiB(op.Id)));
                heap.Add((clock.Elapsed, await ManagedHeapMiBAsync(http, metricsPort)));
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Max(5, total.TotalSeconds / 30)), stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });

        var started = clock.Elapsed;
        await driver.CreateAllAsync(total * 0.25, stop.Token);
        var created = clock.Elapsed;
        using (var faultsStop = new CancellationTokenSource())
        {
            var faults = new SoakFaults(world);
            var injecting = faults.RunAsync(TimeSpan.FromSeconds(Math.Clamp(total.TotalSeconds / 30, 5, 20)), faultsStop.Token);
            await driver.ChurnAsync(total * 0.75, perSecond: 5, stop.Token);
            await faultsStop.CancelAsync();
            await injecting;
            Console.WriteLine($"soak: faults injected: {string.Join(", ", faults.Injected.GroupBy(f => f).Select(g => $"{g.Key} ×{g.Count()}"))}");
        }

        var churned = clock.Elapsed;
        var (checkedCount, wrong) = await driver.CheckAsync(CancellationToken.None);
        var settleLimit = churned + TimeSpan.FromMinutes(5);
        while (wrong.Count > 0 && clock.Elapsed < settleLimit)
        {
            await Task.Delay(TimeSpan.FromSeconds(5));
            (checkedCount, wrong) = await driver.CheckAsync(CancellationToken.None);
        }

        var settled = clock.Elapsed;
        var final = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        var requests = Requests(final);
        await stop.CancelAsync();
        await sampler;
        rss.Add((clock.Elapsed, RssMiB(op.Id)));

        var report = new Report($"Soak: {resources:N0} resources (in-cluster / validators / Akash) created, changed, suspended and deleted over {minutes:N1} min with faults");
        report.Add("actions", string.Join(", ", driver.Actions.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}")));
        report.Add("final state", $"{checkedCount - wrong.Count(w => w.Contains('/'))} of {checkedCount} resources as asked; {wrong.Count} discrepancies, {(settled - churned).TotalSeconds:N0} s after the churn stopped");
        foreach (var w in wrong.Take(10)) report.Add("  discrepancy", w);
        var sorted = latency.ReconcileMs.Order().ToList();
        report.Add("event → reconcile (status observes the generation)", $"p50 {Report.Percentile(sorted, 50):N0} ms, p90 {Report.Percentile(sorted, 90):N0} ms, p99 {Report.Percentile(sorted, 99):N0} ms, max {sorted.LastOrDefault():N0} ms ({sorted.Count} events)");
        var deletes = latency.DeleteMs.Order().ToList();
        report.Add("delete → finalizer released", $"p50 {Report.Percentile(deletes, 50):N0} ms, p99 {Report.Percentile(deletes, 99):N0} ms ({deletes.Count} deletes)");
        var fleet = world.Providers.Providers;
        report.Add("Akash providers", $"{fleet.Sum(p => p.Counters.BidsSent):N0} bids, {fleet.Sum(p => p.Counters.LeasesWon):N0} leases won, {fleet.Sum(p => p.Counters.ManifestsAccepted):N0} manifests accepted of {fleet.Sum(p => p.Counters.ManifestRequests):N0} sent, {fleet.Sum(p => p.ActiveLeases):N0} leases running at the end");
        report.Add("API requests by the operator per resource", $"{requests.Total / (double)driver.EverCreated:N1} ({requests.Writes / (double)driver.EverCreated:N1} writes; {latency.OperatorWrites} writes seen by the server) over {driver.EverCreated} resources created");
        var afterCreate = rss.Where(s => s.At >= created).ToList();
        report.Add("operator RSS", $"{rss.First().MiB:N0} MiB at start, {afterCreate.FirstOrDefault().MiB:N0} MiB after creating, {rss.Last().MiB:N0} MiB at the end; peak {PeakRssMiB(op.Id):N0} MiB");
        report.Add("operator RSS samples (s: MiB)", string.Join(", ", rss.Select(s => $"{s.At.TotalSeconds:N0}: {s.MiB:N0}")));
        report.Add("managed heap after the last GC (s: MiB)", string.Join(", ", heap.Select(s => $"{s.At.TotalSeconds:N0}: {s.MiB:N0}")));
        report.Add("exceptions thrown by the operator", Exceptions(final));
        report.Add("phases", $"create {(created - started).TotalSeconds:N0} s, churn {(churned - created).TotalSeconds:N0} s, settle {(settled - churned).TotalSeconds:N0} s");
        report.Print();
    }

    /// <summary>The operator child process dies with the benchmark, however it ends.</summary>
    private sealed class KillOnExit(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>The runtime's managed heap (all generations) after its last collection, from the operator's /metrics.</summary>
    private static async Task<double> ManagedHeapMiBAsync(HttpClient http, int port)
    {
        try
        {
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            return HeapLine().Matches(metrics).Sum(m => double.Parse(m.Groups["bytes"].Value, CultureInfo.InvariantCulture)) / (1 << 20);
        }
        catch (HttpRequestException)
        {
            return double.NaN;
        }
    }

    private static string Exceptions(string metrics) =>
        string.Join(", ", ExceptionLine().Matches(metrics)
            .Select(m => (Type: m.Groups["type"].Value, Count: long.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture)))
            .OrderByDescending(e => e.Count).Select(e => $"{e.Type} {e.Count:N0}"));

    [GeneratedRegex("""dotnet_gc_last_collection_heap_size_bytes\{[^}]*\} (?<bytes>[0-9.e+]+)""")]
    private static partial Regex HeapLine();

    [GeneratedRegex("""dotnet_exceptions_total\{[^}]*error_type="(?<type>[^"]+)"[^}]*\} (?<count>[0-9]+)""")]
    private static partial Regex ExceptionLine();
}
