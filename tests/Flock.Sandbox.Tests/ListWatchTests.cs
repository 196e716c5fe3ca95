// These tests use the ListXxxWithHttpMessagesAsync(watch: true).WatchAsync form the operator uses, which KubernetesClient marks obsolete.
#pragma warning disable CS0618
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flock.Sandbox.Tests;

public sealed class ListWatchTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private readonly Kubernetes _k = fx.Client;

    private async Task<string> SeedAsync(int count, Func<int, Dictionary<string, string>>? labels = null)
    {
        var ns = await _k.NewNamespaceAsync();
        for (var i = 0; i < count; i++)
        {
            await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = $"cm-{i:D2}", Labels = labels?.Invoke(i) },
            }, ns);
        }

        return ns;
    }

    [Fact]
    public async Task Label_selectors_support_equality_and_set_operators()
    {
        var ns = await SeedAsync(6, i => i switch
        {
            0 => new() { ["app"] = "a", ["tier"] = "web" },
            1 => new() { ["app"] = "b", ["tier"] = "web" },
            2 => new() { ["app"] = "c" },
            3 => new() { ["tier"] = "db" },
            _ => new() { ["other"] = "x" },
        });

        async Task<string[]> Names(string selector) =>
            (await _k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: selector)).Items.Select(i => i.Metadata.Name)
                .Where(n => n != Helpers.RootCa).ToArray();

        Assert.Equal(["cm-00"], await Names("app=a"));
        Assert.Equal(["cm-00"], await Names("app==a,tier=web"));
        Assert.Equal(["cm-01", "cm-02", "cm-03", "cm-04", "cm-05"], await Names("app!=a"));
        Assert.Equal(["cm-00", "cm-02"], await Names("app in (a,c)"));
        Assert.Equal(["cm-01", "cm-03", "cm-04", "cm-05"], await Names("app notin (a, c)"));
        Assert.Equal(["cm-00", "cm-01", "cm-03"], await Names("tier"));
        Assert.Equal(["cm-02", "cm-04", "cm-05"], await Names("!tier"));
    }

    [Fact]
    public async Task Field_selectors_filter_by_name_and_namespace_and_reject_unknown_fields()
    {
        var ns = await SeedAsync(3);
        var byName = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=cm-01");
        Assert.Equal("cm-01", Assert.Single(byName.Items).Metadata.Name);
        var notName = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name!=cm-01");
        Assert.Equal(["cm-00", "cm-02", Helpers.RootCa], notName.Items.Select(i => i.Metadata.Name));
        var all = await _k.CoreV1.ListConfigMapForAllNamespacesAsync(fieldSelector: $"metadata.namespace={ns},metadata.name!={Helpers.RootCa}");
        Assert.Equal(3, all.Items.Count);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "data.x=1"));
        Assert.Equal(HttpStatusCode.BadRequest, e.Response.StatusCode);
        Assert.Contains("field label not supported: data.x", e.Response.Content);
    }

    [Fact]
    public async Task Pagination_returns_consistent_pages_with_continue_tokens()
    {
        var ns = await SeedAsync(5);
        var first = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2);
        Assert.Equal(["cm-00", "cm-01"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(4, first.Metadata.RemainingItemCount);
        Assert.False(string.IsNullOrEmpty(first.Metadata.ContinueProperty));

        // Changes after the first page do not show up in later pages: they read the first page's snapshot.
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cm-99" } }, ns);
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("cm-03", ns);
        var second = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(["cm-02", "cm-03"], second.Items.Select(i => i.Metadata.Name));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        var third = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 2, continueParameter: second.Metadata.ContinueProperty);
        Assert.Equal(["cm-04", Helpers.RootCa], third.Items.Select(i => i.Metadata.Name));
        Assert.True(string.IsNullOrEmpty(third.Metadata.ContinueProperty));
    }

    [Fact]
    public async Task Continue_token_from_a_compacted_revision_is_gone()
    {
        var ns = await SeedAsync(3);
        var first = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 1);
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "later" } }, ns);
        fx.Server.Faults.CompactHistory();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CoreV1.ListNamespacedConfigMapAsync(ns, limit: 1, continueParameter: first.Metadata.ContinueProperty));
        Assert.Equal(HttpStatusCode.Gone, e.Response.StatusCode);
        Assert.Contains("Expired", e.Response.Content);
    }

    [Fact]
    public async Task Watch_replays_from_a_resource_version_and_sends_bookmarks()
    {
        var ns = await SeedAsync(1);
        var list = await _k.CoreV1.ListNamespacedConfigMapAsync(ns);
        var from = list.Metadata.ResourceVersion;
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "new" } }, ns);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"k\":\"v\"}}", V1Patch.PatchType.MergePatch), "new", ns);
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("new", ns);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<(WatchEventType Type, V1ConfigMap Obj)>();
        var watch = _k.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, resourceVersion: from, allowWatchBookmarks: true, watch: true, cancellationToken: cts.Token);
        await foreach (var (type, item) in watch.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: cts.Token))
        {
            events.Add((type, item));
            if (type == WatchEventType.Bookmark) break;
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted, WatchEventType.Bookmark], events.Select(e => e.Type));
        Assert.All(events.Take(3), e => Assert.Equal("new", e.Obj.Metadata.Name));
        var bookmarkRv = long.Parse(events[3].Obj.Metadata.ResourceVersion);
        Assert.True(bookmarkRv >= long.Parse(events[2].Obj.Metadata.ResourceVersion));
        Assert.True(long.Parse(events[2].Obj.Metadata.ResourceVersion) > long.Parse(events[1].Obj.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Watch_without_resource_version_starts_with_the_current_state()
    {
        var ns = await SeedAsync(2);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = _k.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, watch: true, cancellationToken: cts.Token);
        var seen = new List<string>();
        await foreach (var (type, item) in watch.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: cts.Token))
        {
            Assert.Equal(WatchEventType.Added, type);
            seen.Add(item.Metadata.Name);
            if (seen.Count == 2) break;
        }

        Assert.Equal(["cm-00", "cm-01"], seen);
    }

    [Fact]
    public async Task Watch_from_a_compacted_resource_version_gets_an_expired_error()
    {
        var ns = await SeedAsync(1);
        var rv = (await _k.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after" } }, ns);
        fx.Server.Faults.CompactHistory();

        using var http = fx.Server.RawClient();
        var body = await http.GetStringAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={rv}");
        var evt = JsonNode.Parse(body.Split('\n')[0])!;
        Assert.Equal("ERROR", (string?)evt["type"]);
        Assert.Equal(410, (int)evt["object"]!["code"]!);
        Assert.Equal("Expired", (string?)evt["object"]!["reason"]);
        Assert.StartsWith($"too old resource version: {rv}", (string?)evt["object"]!["message"]);

        // KubernetesClient surfaces it through onError.
        Exception? error = null;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = _k.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, resourceVersion: rv, watch: true, cancellationToken: cts.Token);
        await foreach (var _ in watch.WatchAsync<V1ConfigMap, V1ConfigMapList>(e => error = e, cts.Token))
        {
        }

        var ke = Assert.IsType<KubernetesException>(error);
        Assert.Equal(410, ke.Status.Code);
    }

    [Fact]
    public async Task Watch_with_a_label_selector_sees_objects_enter_and_leave_it()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" } }, ns);
        var rv = (await _k.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"sel\":\"yes\"}}}", V1Patch.PatchType.MergePatch), "m", ns);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":\"1\"}}", V1Patch.PatchType.MergePatch), "m", ns);
        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"sel\":\"no\"}},\"data\":{\"a\":\"2\"}}", V1Patch.PatchType.MergePatch), "m", ns);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = _k.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync(ns, labelSelector: "sel=yes", resourceVersion: rv, watch: true, cancellationToken: cts.Token);
        var events = new List<(WatchEventType, V1ConfigMap)>();
        await foreach (var e in watch.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: cts.Token))
        {
            events.Add(e);
            if (events.Count == 3) break;
        }

        Assert.Equal([WatchEventType.Added, WatchEventType.Modified, WatchEventType.Deleted], events.Select(e => e.Item1));
        // The DELETED event carries the last state that matched, at the resourceVersion of the change.
        var deleted = events[2].Item2;
        Assert.Equal("yes", deleted.Metadata.Labels["sel"]);
        Assert.Equal("1", deleted.Data["a"]);
        var stored = await _k.CoreV1.ReadNamespacedConfigMapAsync("m", ns);
        Assert.Equal(stored.Metadata.ResourceVersion, deleted.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Custom_resource_watch_through_list_namespaced_custom_object()
    {
        await _k.InstallCrdsAsync();
        var ns = await _k.NewNamespaceAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = _k.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync("flock.io", "v1alpha1", ns, "flocktrainingnodes",
            allowWatchBookmarks: true, watch: true, cancellationToken: cts.Token);
        var creator = Task.Run(async () =>
        {
            await Task.Delay(200);
            await _k.CustomObjects.CreateNamespacedCustomObjectAsync(Helpers.TrainingNode("w1", ns), "flock.io", "v1alpha1", ns, "flocktrainingnodes");
        });
        string? name = null;
        await foreach (var (type, item) in watch.WatchAsync<object, object>(cancellationToken: cts.Token))
        {
            if (type != WatchEventType.Added) continue;
            name = (string?)item.AsJson()["metadata"]!["name"];
            break;
        }

        await creator;
        Assert.Equal("w1", name);
    }

    [Fact]
    public async Task Watch_timeout_seconds_closes_the_stream()
    {
        var ns = await _k.NewNamespaceAsync();
        using var http = fx.Server.RawClient();
        var body = await http.GetStringAsync($"/api/v1/namespaces/{ns}/secrets?watch=true&timeoutSeconds=1&resourceVersion=0")
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Exact_list_at_a_compacted_resource_version_is_gone_and_at_a_retained_one_is_the_past()
    {
        var ns = await SeedAsync(2);
        var rv = (await _k.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("cm-00", ns);
        var past = await _k.CoreV1.ListNamespacedConfigMapAsync(ns, resourceVersion: rv, resourceVersionMatch: "Exact");
        Assert.Equal(["cm-00", "cm-01", Helpers.RootCa], past.Items.Select(i => i.Metadata.Name));
        Assert.Equal(rv, past.Metadata.ResourceVersion);
        fx.Server.Faults.CompactHistory();
        var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
            _k.CoreV1.ListNamespacedConfigMapAsync(ns, resourceVersion: rv, resourceVersionMatch: "Exact"));
        Assert.Equal(HttpStatusCode.Gone, e.Response.StatusCode);
    }

    [Fact]
    public async Task In_process_store_writes_are_seen_by_in_process_watchers()
    {
        var ns = await _k.NewNamespaceAsync();
        var store = fx.Server.Store;
        var configMaps = store.Resource("v1", "ConfigMap");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();
        var from = store.ResourceVersion;
        var watching = Task.Run(async () =>
        {
            await foreach (var e in store.WatchAsync(configMaps, ns, from, cts.Token))
            {
                seen.Add($"{e.Type} {e.Object["metadata"]!["name"]}");
                if (seen.Count == 3) break;
            }
        });
        store.Create(configMaps, new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "from-store", ["namespace"] = ns },
        });
        store.Mutate(configMaps, ns, "from-store", o => o["data"] = new JsonObject { ["k"] = "v" });
        store.Delete(configMaps, ns, "from-store");
        await watching.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["ADDED from-store", "MODIFIED from-store", "DELETED from-store"], seen);
    }
}
