using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Status;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Bench;

/// <summary>
/// Issue 5's figures: the controller runtime with a trivial reconciler (one status write per
/// resource) over N custom resources, against raw KubernetesClient writes as the machine's limit.
/// </summary>
internal static class RuntimeBenchmark
{
    private const string SentAt = "bench.flock.io/sent-at";

    private sealed class TrivialReconciler(Informer<FlockTrainingNode> informer, StatusWriter writer, ConcurrentBag<double> latencies) : IReconciler
    {
        public int Reconciled;

        public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
        {
            var node = informer.Cache.Get(key);
            if (node is null) return ReconcileResult.Done;
            if (node.Metadata.Annotations?.TryGetValue(SentAt, out var sent) == true)
            {
                latencies.Add(Stopwatch.GetElapsedTime(long.Parse(sent, CultureInfo.InvariantCulture)).TotalMilliseconds);
            }

            var kind = FlockKinds.TrainingNode;
            await writer.WriteAsync(kind.Resource, node, new FlockTrainingNodeStatus { ObservedGeneration = node.Metadata.Generation, Phase = Phase.Running },
                kind.GetStatus, kind.SetStatus, ct);
            Interlocked.Increment(ref Reconciled);
            return ReconcileResult.Done;
        }
    }

    public static async Task RunAsync(int resources)
    {
        await using var sandbox = await BenchSandbox.StartAsync();
        await InstallCrdsAsync(sandbox.Client());
        var rest = Flock.Operator.OperatorClient.Create(sandbox.Client());
        var kind = FlockKinds.TrainingNode;
        var report = new Report($"Controller runtime, trivial reconciler over {resources:N0} FlockTrainingNodes");

        var creates = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, resources), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            await rest.CreateAsync(kind.Resource, "default", Node($"n{i}"), ct));
        creates.Stop();
        var rawRate = resources / creates.Elapsed.TotalSeconds;
        report.Add("raw KubernetesClient creates (the physical limit)", rawRate, "writes/s");

        var informer = new Informer<FlockTrainingNode>(rest, kind.Resource,
            new InformerOptions { Namespace = "default", ResyncPeriod = TimeSpan.FromSeconds(3) }, NullLogger.Instance, TimeProvider.System);
        var writer = new StatusWriter(rest);
        var latencies = new ConcurrentBag<double>();
        var reconciler = new TrivialReconciler(informer, writer, latencies);
        var controller = new Controller<FlockTrainingNode>("bench", informer, reconciler, new ControllerOptions { Workers = 4 }, NullLogger.Instance, TimeProvider.System);
        using var stop = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        var informerTask = informer.RunAsync(stop.Token);
        var controllerTask = controller.RunAsync(stop.Token);
        while (writer.Writes < resources) await Task.Delay(20);
        started.Stop();
        report.Add($"start → all {resources:N0} reconciled (list, watch, one status write each)", started.Elapsed.TotalSeconds, "s");
        var reconcileRate = resources / started.Elapsed.TotalSeconds;
        report.Add("reconciles with a status write per second", reconcileRate, "/s");
        report.Add("ratio to the raw-client limit", $"{reconcileRate / rawRate:P0}");

        // Steady state: several resyncs hand every object to the reconciler again; none should write.
        await Task.Delay(1000);
        var writesBefore = writer.Writes;
        var reconciledBefore = reconciler.Reconciled;
        await Task.Delay(TimeSpan.FromSeconds(7));
        report.Add("status writes during 7 s of resyncs (period 3 s)", $"{writer.Writes - writesBefore} (reconciles in that time: {reconciler.Reconciled - reconciledBefore:N0})");

        // Churn: annotate objects at a steady pace; the reconciler measures send → reconcile.
        var churn = Stopwatch.StartNew();
        var changes = Math.Min(resources, 1000);
        await Parallel.ForEachAsync(Enumerable.Range(0, changes), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await rest.MergePatchAsync<FlockTrainingNode>(kind.Resource, "default", $"n{i % resources}", new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [SentAt] = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture) } },
            }, ct));
        while (latencies.Count < changes && churn.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(20);
        var sorted = latencies.Order().ToList();
        report.Add($"event → reconcile latency under churn ({changes:N0} changes at {changes / churn.Elapsed.TotalSeconds:N0}/s)",
            $"p50 {Report.Percentile(sorted, 50):N1} ms, p99 {Report.Percentile(sorted, 99):N1} ms");

        await stop.CancelAsync();
        await controllerTask;
        await informerTask;
        report.Add("process memory (sandbox server and operator runtime share this process)", $"{Report.RssMiB():N0} MiB RSS, {Report.ManagedMiB():N0} MiB managed heap");
        report.Print();
    }

    private static FlockTrainingNode Node(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new FlockTrainingNodeSpec
        {
            TaskId = 1,
            Credentials = new Credentials { FlockApiKey = new SecretKeySelector { Name = "f", Key = "k" }, HuggingFace = new HuggingFaceCredentials { SecretName = "hf" } },
            Staking = new StakingSpec { Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c" },
        },
    };

    internal static async Task InstallCrdsAsync(Kubernetes client)
    {
        var root = Flock.Testing.RepositoryRoot.Path;
        foreach (var file in Directory.GetFiles(Path.Combine(root, "config", "crd", "bases"), "*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            while ((await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name)).Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") != true)
            {
                await Task.Delay(20);
            }
        }
    }
}
