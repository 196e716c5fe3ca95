using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Flock.Bench;

/// <summary>Issue 4's figures: how fast the sandbox API server serves KubernetesClient on loopback.</summary>
internal static class SandboxBenchmark
{
    private const int Writers = 16;

    private static V1ConfigMap Map(string ns, string name, int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["bench"] = "yes" } },
        Data = new Dictionary<string, string> { ["value"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public static async Task RunAsync(int objects)
    {
        await using var sandbox = await BenchSandbox.StartAsync();
        var client = sandbox.Client();
        const string ns = "bench";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var report = new Report($"Sandbox API server ({objects:N0} ConfigMaps, {Writers} concurrent clients, KubernetesClient over HTTPS loopback)");

        var writes = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, objects), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, ct) =>
            await client.CoreV1.CreateNamespacedConfigMapAsync(Map(ns, $"cm-{i}", i), ns, cancellationToken: ct));
        writes.Stop();
        report.Add("creates/s, no watchers", objects / writes.Elapsed.TotalSeconds, "writes/s");

        // Fan-out: 100 watchers of one namespace each receive every create of 1,000 more objects.
        const string fanNs = "bench-watch";
        const int fanObjects = 1_000;
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = fanNs } });
        using var stopWatchers = new CancellationTokenSource();
        var received = new int[100];
        var allSeen = new TaskCompletionSource();
        var watchers = Enumerable.Range(0, 100).Select(w => Task.Run(async () =>
        {
            try
            {
                await foreach (var (type, _) in client.CoreV1.WatchListNamespacedConfigMapAsync(fanNs, cancellationToken: stopWatchers.Token))
                {
                    if (type == WatchEventType.Added && Interlocked.Increment(ref received[w]) == fanObjects && received.All(r => r >= fanObjects)) allSeen.TrySetResult();
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToList();
        await Task.Delay(1000);
        var fanOut = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, fanObjects), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, ct) =>
            await client.CoreV1.CreateNamespacedConfigMapAsync(Map(fanNs, $"w-{i}", i), fanNs, cancellationToken: ct));
        var written = fanOut.Elapsed;
        await Task.WhenAny(allSeen.Task, Task.Delay(TimeSpan.FromMinutes(2)));
        fanOut.Stop();
        report.Add("watch fan-out: 100 watchers × 1,000 creates",
            $"{received.Sum():N0} events delivered in {fanOut.Elapsed.TotalSeconds:N2} s ({received.Sum() / fanOut.Elapsed.TotalSeconds:N0} events/s; writes took {written.TotalSeconds:N2} s)");
        await stopWatchers.CancelAsync();
        await Task.WhenAll(watchers);

        var reads = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, objects), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, ct) =>
            await client.CoreV1.ReadNamespacedConfigMapAsync($"cm-{i}", ns, cancellationToken: ct));
        reads.Stop();
        report.Add("gets/s", objects / reads.Elapsed.TotalSeconds, "reads/s");

        var updates = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, objects), new ParallelOptions { MaxDegreeOfParallelism = Writers }, async (i, ct) =>
            await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"value\":\"x\"}}", V1Patch.PatchType.MergePatch), $"cm-{i}", ns, cancellationToken: ct));
        updates.Stop();
        report.Add("merge patches/s", objects / updates.Elapsed.TotalSeconds, "writes/s");

        var list = Stopwatch.StartNew();
        var all = await client.CoreV1.ListNamespacedConfigMapAsync(ns);
        list.Stop();
        report.Add($"list of {all.Items.Count:N0} objects (one call)", list.Elapsed.TotalMilliseconds, "ms");

        var paged = Stopwatch.StartNew();
        var count = 0;
        string? next = null;
        do
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 500, continueParameter: next);
            count += page.Items.Count;
            next = page.Metadata.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));
        paged.Stop();
        report.Add($"list of {count:N0} objects in pages of 500", paged.Elapsed.TotalMilliseconds, "ms");

        report.Add($"process memory with {objects:N0} objects (server, client and watch buffers)", $"{Report.RssMiB():N0} MiB RSS, {Report.ManagedMiB():N0} MiB managed heap");
        report.Print();
    }
}
