using System.Collections.Concurrent;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.Integration;

/// <summary>The informer keeps an exact copy of the server's objects whatever happens to its connection.</summary>
public sealed class InformerTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public InformerTests(Sandbox sandbox) => _sandbox = sandbox;

    private sealed class Recorder : IInformerHandler<V1ConfigMap>
    {
        public ConcurrentBag<string> Added { get; } = [];
        public ConcurrentBag<string> Deleted { get; } = [];
        public ConcurrentBag<(string Name, string? Value)> Updated { get; } = [];

        public void OnAdd(V1ConfigMap obj) => Added.Add(obj.Metadata.Name);

        public void OnUpdate(V1ConfigMap old, V1ConfigMap current) => Updated.Add((current.Metadata.Name, current.Data?["v"]));

        public void OnDelete(V1ConfigMap obj) => Deleted.Add(obj.Metadata.Name);
    }

    private async Task<string> NamespaceAsync()
    {
        var name = "inf-" + Guid.NewGuid().ToString("N")[..8];
        await _sandbox.Client().CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    private static V1ConfigMap Map(string ns, string name, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns }, Data = new Dictionary<string, string> { ["v"] = value } };

    private (Informer<V1ConfigMap> Informer, Recorder Recorder) NewInformer(string ns)
    {
        var informer = new Informer<V1ConfigMap>(_sandbox.Rest(), BuiltInKinds.ConfigMap,
            new InformerOptions { Namespace = ns, InitialRetryDelay = TimeSpan.FromMilliseconds(50), MaxRetryDelay = TimeSpan.FromMilliseconds(500), PageSize = 7 },
            NullLogger.Instance, TimeProvider.System);
        var recorder = new Recorder();
        informer.AddHandler(recorder);
        return (informer, recorder);
    }

    [Fact]
    public async Task Lists_in_pages_then_sees_adds_updates_and_deletes()
    {
        var ns = await NamespaceAsync();
        var client = _sandbox.Client();
        for (var i = 0; i < 20; i++) await client.CoreV1.CreateNamespacedConfigMapAsync(Map(ns, $"cm-{i}", "0"), ns);
        var (informer, recorder) = NewInformer(ns);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(CancellationToken.None);
        // Count only this test's maps: a real cluster also puts kube-root-ca.crt in every namespace.
        var listed = informer.Cache.List().Count(c => c.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal));
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map(ns, "late", "0"), ns);
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(Map(ns, "cm-3", "1"), "cm-3", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm-4", ns);
        await Eventually.TrueAsync(() => recorder.Deleted.Contains("cm-4") && recorder.Added.Contains("late")
            && recorder.Updated.Contains(("cm-3", "1")), "add, update and delete seen");
        await stop.CancelAsync();
        await run;

        Assert.Equal(20, listed);
        Assert.Equal(19, informer.Cache.List().Count(c => c.Metadata.Name.StartsWith("cm-", StringComparison.Ordinal)));
        Assert.NotNull(informer.Cache.Get(new ObjectKey(ns, "late")));
        Assert.Null(informer.Cache.Get(new ObjectKey(ns, "cm-4")));
        Assert.Equal("1", informer.Cache.Get(new ObjectKey(ns, "cm-3"))!.Data["v"]);
    }

    [Fact]
    public async Task Survives_dropped_watches_a_restart_and_a_compaction_without_missing_a_delete()
    {
        var ns = await NamespaceAsync();
        var client = _sandbox.Client();
        for (var i = 0; i < 12; i++) await client.CoreV1.CreateNamespacedConfigMapAsync(Map(ns, $"cm-{i}", "0"), ns);
        var (informer, recorder) = NewInformer(ns);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);

        _sandbox.Server.Faults.DropWatches();
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm-0", ns);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm-1", ns);

        await _sandbox.Server.Faults.RestartAsync();
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm-2", ns);

        // While the informer is cut off, history is compacted: resuming from its version must get 410 and relist.
        var relistsBefore = informer.Relists;
        _sandbox.Server.Faults.CompactHistory();
        _sandbox.Server.Faults.DropWatches();
        await client.CoreV1.DeleteNamespacedConfigMapAsync("cm-3", ns);
        await client.CoreV1.CreateNamespacedConfigMapAsync(Map(ns, "new-after-compaction", "0"), ns);
        _sandbox.Server.Faults.CompactHistory();

        var serverNames = () => client.CoreV1.ListNamespacedConfigMap(ns).Items.Select(c => c.Metadata.Name).Order().ToList();
        await Eventually.TrueAsync(() => informer.Cache.Keys().Select(k => k.Name).Order().SequenceEqual(serverNames()), "cache equals server");
        await stop.CancelAsync();
        await run;

        Assert.Subset(recorder.Deleted.ToHashSet(), new HashSet<string> { "cm-0", "cm-1", "cm-2", "cm-3" });
        Assert.Contains("new-after-compaction", recorder.Added);
        Assert.True(informer.WatchRestarts >= 2, $"watch restarts: {informer.WatchRestarts}");
        Assert.True(informer.Relists >= relistsBefore, "relists counted");
    }

    [Fact]
    public async Task A_transform_shapes_what_the_cache_keeps()
    {
        var ns = await NamespaceAsync();
        var client = _sandbox.Client();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds", NamespaceProperty = ns },
            StringData = new Dictionary<string, string> { ["api-key"] = "very-secret-value", ["token"] = "another-secret" },
        }, ns);
        var informer = new Informer<V1Secret>(_sandbox.Rest(), new ResourceKind("", "v1", "secrets", "Secret"), new InformerOptions { Namespace = ns },
            NullLogger.Instance, TimeProvider.System, global::Flock.Operator.Controllers.WorkerControllerSetup.WithoutValues);
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(CancellationToken.None);

        var cached = informer.Cache.Get(new ObjectKey(ns, "creds"))!;
        await stop.CancelAsync();
        await run;

        Assert.Equal(["api-key", "token"], cached.Data.Keys.Order());
        Assert.All(cached.Data.Values, v => Assert.Empty(v));
        Assert.Null(cached.StringData);
        Assert.NotNull(cached.Metadata.ResourceVersion);
    }
}
