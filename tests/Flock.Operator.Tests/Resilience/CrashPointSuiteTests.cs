using Flock.Operator.Tests.Integration;
using Xunit.Abstractions;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Issue 11 item 1. For every flow, a recording run lists the operator's write points in order (each Kubernetes write —
/// finalizers, status, events, children — each Akash broadcast, before and after CheckTx, and each manifest PUT to the
/// provider, before and after it is accepted); then one run per point
/// SIGKILLs a fresh operator process right there and starts another. Every run must converge as if nothing happened:
/// Running with the flow's invariants (its children owned and single; one deployment and one active lease), then
/// deleted with nothing left (no child, no open deployment, escrow balanced with nothing held).
/// `make test` runs a stratified subset (every transaction point and the first point of every kind of kube write);
/// `make bench BENCH=crash` (CRASH_MATRIX=full) runs every point.
/// </summary>
public sealed class CrashPointSuiteTests(ResilienceSandbox sandbox, ITestOutputHelper output) : IClassFixture<ResilienceSandbox>
{
    /// <summary>Runs side by side (each run is two operator processes at most, mostly idle).</summary>
    private static int Parallelism => int.TryParse(Environment.GetEnvironmentVariable("CRASH_PARALLEL"), out var n) && n > 0 ? n : 3;

    private static bool FullMatrix => Environment.GetEnvironmentVariable("CRASH_MATRIX") == "full";

    /// <summary>CRASH_MATRIX=record: only the recording runs, to list the write points.</summary>
    private static bool RecordOnly => Environment.GetEnvironmentVariable("CRASH_MATRIX") == "record";

    [Fact]
    public async Task Every_flow_converges_after_a_kill_at_its_write_points()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var provider = await BiddingProvider.StartAsync(sandbox.Chain);
        sandbox.Taps.Connect(provider.Provider);
        var runner = new CrashRunner(sandbox, provider);
        using var throttle = new SemaphoreSlim(Parallelism);

        async Task<CrashRunResult> Throttled(string name, Func<ResilienceSandbox, string, BiddingProvider, CrashFlow> create, WritePoint? point)
        {
            await throttle.WaitAsync();
            try
            {
                return await runner.RunAsync(name, create, point);
            }
            finally
            {
                throttle.Release();
            }
        }

        var recordings = await Task.WhenAll(CrashFlow.All.Select(f => Throttled(f.Name, f.Create, null)));
        foreach (var recording in recordings) Assert.True(recording.Failure is null, recording.ToString());
        var subset = Stratified(recordings.Select(r => r.Seen).ToList());
        var plans = CrashFlow.All.Select((f, i) => (Flow: f, Points: recordings[i].Seen, Chosen: RecordOnly ? [] : FullMatrix ? recordings[i].Seen : subset[i])).ToList();
        var results = await Task.WhenAll(plans.SelectMany(p => p.Chosen.Select(point => Throttled(p.Flow.Name, p.Flow.Create, point))));

        Report($"Crash-point suite ({(FullMatrix ? "full matrix" : "stratified subset")}, {Parallelism} runs at a time): {results.Length} runs + {recordings.Length} recordings in {clock.Elapsed.TotalSeconds:N0} s");
        foreach (var (flow, points, chosen) in plans)
        {
            var runs = results.Where(r => r.Flow == flow.Name).ToList();
            Report($"  {flow.Name}: {points.Count} write points ({points.Count(p => p.Kind == PointKind.KubeWrite)} kube, " +
                $"{points.Count(p => p.Kind is PointKind.TxBeforeCheckTx or PointKind.TxAfterCheckTx)} tx, {points.Count(p => p.Kind is PointKind.ManifestBeforeAccept or PointKind.ManifestAfterAccept)} manifest), " +
                $"{runs.Count} runs, {runs.Count(r => r.Killed)} killed at their point, {runs.Count(r => r.Failure is not null)} failed");
            foreach (var run in runs.Where(r => !r.Killed)) Report($"    not reached (timing): {run.Target}; the victim wrote {string.Join(", ", run.Seen)}");
            Report($"    points: {string.Join(", ", points)}");
        }

        foreach (var failed in results.Where(r => r.Failure is not null)) Report("  " + failed);
        Assert.All(results, r => Assert.True(r.Failure is null, r.ToString()));
        // Every flow has points of every kind it should, and the kills happened (a run whose point never came is allowed
        // only where the write count varies with timing, e.g. one status write more or less).
        Assert.All(plans, p => Assert.Contains(p.Points, x => x.Shape.StartsWith("patch flock", StringComparison.Ordinal)));
        Assert.Contains(plans, p => p.Points.Any(x => x.Kind == PointKind.TxAfterCheckTx));
        Assert.Contains(plans, p => p.Points.Any(x => x.Kind == PointKind.ManifestAfterAccept));
        Assert.True(results.Count(r => r.Killed) >= results.Length * 0.8, $"{results.Count(r => r.Killed)} of {results.Length} runs reached their point");
    }

    /// <summary>
    /// The subset for `make test`: every transaction and manifest point; the first write of each shape across the flows (the first
    /// finalizer patch, status write, event, claim, Deployment apply, child delete of its kind); and each flow's last
    /// write (the finalizer's release, where deletion commits).
    /// </summary>
    internal static IReadOnlyList<IReadOnlyList<WritePoint>> Stratified(IReadOnlyList<IReadOnlyList<WritePoint>> flows)
    {
        var shapes = new HashSet<string>(StringComparer.Ordinal);
        return flows.Select(points => (IReadOnlyList<WritePoint>)points
            .Where((p, i) => p.Kind != PointKind.KubeWrite || i == points.Count - 1 || shapes.Add(p.Shape))
            .ToList()).ToList();
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
