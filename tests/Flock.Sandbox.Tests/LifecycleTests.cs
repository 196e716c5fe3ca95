using System.Net;
using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace Flock.Sandbox.Tests;

public sealed class LifecycleTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private readonly Kubernetes _k = fx.Client;

    private async Task<bool> ConfigMapGoneAsync(string ns, string name)
    {
        try
        {
            await _k.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }

    private Task<V1ConfigMap> CreateConfigMapAsync(string ns, string name, IList<string>? finalizers = null, V1ConfigMap? owner = null,
        bool blockOwnerDeletion = false) =>
        _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                Finalizers = finalizers,
                OwnerReferences = owner is null ? null :
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid,
                        BlockOwnerDeletion = blockOwnerDeletion ? true : null,
                    },
                ],
            },
        }, ns);

    [Fact]
    public async Task Delete_with_a_finalizer_marks_the_object_until_the_finalizer_is_removed()
    {
        var ns = await _k.NewNamespaceAsync();
        await CreateConfigMapAsync(ns, "f", ["example.com/cleanup"]);
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("f", ns);

        var marked = await _k.CoreV1.ReadNamespacedConfigMapAsync("f", ns);
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Equal(0, marked.Metadata.DeletionGracePeriodSeconds);

        // New finalizers cannot be added to an object being deleted.
        marked.Metadata.Finalizers.Add("example.com/another");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.ReplaceNamespacedConfigMapAsync(marked, "f", ns));
        Assert.Equal((HttpStatusCode)422, e.Response.StatusCode);

        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "f", ns);
        Assert.True(await ConfigMapGoneAsync(ns, "f"));
    }

    [Fact]
    public async Task Background_deletion_collects_dependents()
    {
        var ns = await _k.NewNamespaceAsync();
        var owner = await CreateConfigMapAsync(ns, "owner");
        await CreateConfigMapAsync(ns, "child", owner: owner);
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns);
        await Helpers.Eventually(() => ConfigMapGoneAsync(ns, "child"), "dependent collected");
    }

    [Fact]
    public async Task Owner_references_across_namespaces_are_dangling_and_get_collected()
    {
        var ns = await _k.NewNamespaceAsync();
        var other = await _k.NewNamespaceAsync();
        var owner = await CreateConfigMapAsync(other, "owner");
        // An owner in another namespace does not resolve (ownerReferences are namespace-local), as on a real cluster.
        await CreateConfigMapAsync(ns, "misplaced", owner: owner);
        await Helpers.Eventually(() => ConfigMapGoneAsync(ns, "misplaced"), "dependent of an unresolvable owner collected");
        Assert.False(await ConfigMapGoneAsync(other, "owner"));
    }

    [Fact]
    public async Task Orphan_deletion_keeps_dependents_and_drops_their_owner_reference()
    {
        var ns = await _k.NewNamespaceAsync();
        var owner = await CreateConfigMapAsync(ns, "owner");
        await CreateConfigMapAsync(ns, "child", owner: owner);
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Orphan");
        await Helpers.Eventually(() => ConfigMapGoneAsync(ns, "owner"), "owner deleted");
        var child = await _k.CoreV1.ReadNamespacedConfigMapAsync("child", ns);
        Assert.True(child.Metadata.OwnerReferences is null or { Count: 0 });
    }

    [Fact]
    public async Task Foreground_deletion_waits_for_blocking_dependents()
    {
        var ns = await _k.NewNamespaceAsync();
        var owner = await CreateConfigMapAsync(ns, "owner");
        await CreateConfigMapAsync(ns, "child", ["example.com/hold"], owner, blockOwnerDeletion: true);
        await _k.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, propagationPolicy: "Foreground");

        var pending = await _k.CoreV1.ReadNamespacedConfigMapAsync("owner", ns);
        Assert.Contains("foregroundDeletion", pending.Metadata.Finalizers);
        Assert.NotNull(pending.Metadata.DeletionTimestamp);
        await Helpers.Eventually(async () => (await _k.CoreV1.ReadNamespacedConfigMapAsync("child", ns)).Metadata.DeletionTimestamp is not null,
            "child marked for deletion");
        Assert.False(await ConfigMapGoneAsync(ns, "owner"));

        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "child", ns);
        await Helpers.Eventually(() => ConfigMapGoneAsync(ns, "owner"), "owner deleted after its dependent");
    }

    [Fact]
    public async Task Deleting_a_namespace_terminates_it_and_removes_its_content()
    {
        var ns = await _k.NewNamespaceAsync();
        await CreateConfigMapAsync(ns, "held", ["example.com/hold"]);
        await CreateConfigMapAsync(ns, "free");
        await _k.CoreV1.DeleteNamespaceAsync(ns);

        var terminating = await _k.CoreV1.ReadNamespaceAsync(ns);
        Assert.Equal("Terminating", terminating.Status.Phase);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => CreateConfigMapAsync(ns, "late"));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains("because it is being terminated", e.Response.Content);
        await Helpers.Eventually(() => ConfigMapGoneAsync(ns, "free"), "content deleted");

        await _k.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch), "held", ns);
        await Helpers.Eventually(async () =>
        {
            try
            {
                await _k.CoreV1.ReadNamespaceAsync(ns);
                return false;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                return true;
            }
        }, "namespace gone");
    }

    [Fact]
    public async Task Delete_collection_removes_matching_objects()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "a", Labels = new Dictionary<string, string> { ["x"] = "1" } } }, ns);
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b", Labels = new Dictionary<string, string> { ["x"] = "1" } } }, ns);
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns);
        await _k.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns, labelSelector: "x=1");
        Assert.Equal(["c", Helpers.RootCa], (await _k.CoreV1.ListNamespacedConfigMapAsync(ns)).Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Delete_preconditions_are_enforced()
    {
        var ns = await _k.NewNamespaceAsync();
        await CreateConfigMapAsync(ns, "p");
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.DeleteNamespacedConfigMapAsync("p", ns,
            new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("Precondition failed: UID in precondition", e.Response.Content);
    }

    [Fact]
    public async Task Pod_logs_are_served_from_the_in_process_log_store()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "worker" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1.36" }] },
        }, ns);
        fx.Server.Logs.Append(ns, "worker", "main", "line one");
        fx.Server.Logs.Append(ns, "worker", "main", "line two");
        using var stream = await _k.CoreV1.ReadNamespacedPodLogAsync("worker", ns);
        using var reader = new StreamReader(stream);
        Assert.Equal("line one\nline two\n", await reader.ReadToEndAsync());
        using var tail = await _k.CoreV1.ReadNamespacedPodLogAsync("worker", ns, container: "main", tailLines: 1);
        Assert.Equal("line two\n", await new StreamReader(tail).ReadToEndAsync());
    }

    [Fact]
    public async Task Events_of_both_apis_are_stored()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "e1" },
            InvolvedObject = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = ns },
            Reason = "Started",
            Message = "hello",
            Type = "Normal",
        }, ns);
        await _k.EventsV1.CreateNamespacedEventAsync(new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "e2" },
            EventTime = DateTime.UtcNow,
            ReportingController = "flock.io/operator",
            ReportingInstance = "op-1",
            Action = "Reconcile",
            Reason = "Synced",
            Type = "Normal",
            Regarding = new V1ObjectReference { Kind = "Pod", Name = "p", NamespaceProperty = ns },
        }, ns);
        var core = await _k.CoreV1.ListNamespacedEventAsync(ns, fieldSelector: "involvedObject.name=p,reason=Started");
        Assert.Equal("e1", Assert.Single(core.Items).Metadata.Name);
        var v1 = await _k.EventsV1.ListNamespacedEventAsync(ns);
        Assert.Contains(v1.Items, e => e.Metadata.Name == "e2");
    }

    [Fact]
    public async Task Scheduled_pods_are_deleted_gracefully_until_the_kubelet_confirms()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "bound" },
            Spec = new V1PodSpec { NodeName = "node-1", Containers = [new V1Container { Name = "main", Image = "busybox:1.36" }] },
        }, ns);
        await _k.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "unbound" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1.36" }] },
        }, ns);

        await _k.CoreV1.DeleteNamespacedPodAsync("unbound", ns);
        var pods = await _k.CoreV1.ListNamespacedPodAsync(ns);
        Assert.DoesNotContain(pods.Items, p => p.Metadata.Name == "unbound");

        var terminating = await _k.CoreV1.DeleteNamespacedPodAsync("bound", ns);
        Assert.Equal(30, terminating.Metadata.DeletionGracePeriodSeconds);
        Assert.NotNull(terminating.Metadata.DeletionTimestamp);
        Assert.Equal("bound", (await _k.CoreV1.ReadNamespacedPodAsync("bound", ns)).Metadata.Name);

        // What the kubelet does once the containers are gone.
        fx.Server.Store.Delete(fx.Server.Store.Resource("v1", "pods"), ns, "bound", gracePeriodSeconds: 0);
        Assert.Empty((await _k.CoreV1.ListNamespacedPodAsync(ns)).Items);
    }

    [Fact]
    public async Task Pods_are_bound_through_the_binding_subresource_once()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1.36" }] },
        }, ns);
        V1Binding Binding(string node) => new()
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = node },
        };
        await _k.CoreV1.CreateNamespacedPodBindingAsync(Binding("node-1"), "p", ns);
        var pod = await _k.CoreV1.ReadNamespacedPodAsync("p", ns);
        Assert.Equal("node-1", pod.Spec.NodeName);
        Assert.Contains(pod.Status.Conditions, c => c.Type == "PodScheduled" && c.Status == "True");

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.CreateNamespacedPodBindingAsync(Binding("node-2"), "p", ns));
        Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        Assert.Contains("is already assigned to node", e.Response.Content);

        // spec.nodeName cannot be changed by an update (pod spec is immutable but for images and a few fields).
        var patch = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.PatchNamespacedPodAsync(
            new V1Patch("{\"spec\":{\"nodeName\":\"node-2\"}}", V1Patch.PatchType.MergePatch), "p", ns));
        Assert.Equal((HttpStatusCode)422, patch.Response.StatusCode);
    }

    [Fact]
    public async Task Services_get_a_cluster_ip_and_namespaces_a_default_service_account()
    {
        var ns = await _k.NewNamespaceAsync();
        var svc = await _k.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "api" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 8080 }], Selector = new Dictionary<string, string> { ["app"] = "api" } },
        }, ns);
        Assert.Matches(@"^10\.\d+\.\d+\.\d+$", svc.Spec.ClusterIP);
        Assert.Equal("TCP", svc.Spec.Ports[0].Protocol);
        await Helpers.Eventually(async () => (await _k.CoreV1.ListNamespacedServiceAccountAsync(ns)).Items.Any(a => a.Metadata.Name == "default"),
            "default service account");
    }

    [Fact]
    public async Task Lease_leader_election_elects_one_leader_and_hands_over()
    {
        var ns = await _k.NewNamespaceAsync();
        LeaderElector Elector(string id, out TaskCompletionSource leading)
        {
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            leading = started;
            var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(_k, ns, "flock-operator", id))
            {
                LeaseDuration = TimeSpan.FromSeconds(2),
                RenewDeadline = TimeSpan.FromSeconds(1),
                RetryPeriod = TimeSpan.FromMilliseconds(200),
            });
            elector.OnStartedLeading += () => started.TrySetResult();
            return elector;
        }

        using var first = Elector("a", out var aLeads);
        using var firstRun = new CancellationTokenSource();
        var aTask = first.RunUntilLeadershipLostAsync(firstRun.Token);
        await aLeads.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var lease = await _k.CoordinationV1.ReadNamespacedLeaseAsync("flock-operator", ns);
        Assert.Equal("a", lease.Spec.HolderIdentity);

        using var second = Elector("b", out var bLeads);
        using var secondRun = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var bTask = second.RunUntilLeadershipLostAsync(secondRun.Token);
        Assert.False(bLeads.Task.IsCompleted);
        await firstRun.CancelAsync();
        await bLeads.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("b", (await _k.CoordinationV1.ReadNamespacedLeaseAsync("flock-operator", ns)).Spec.HolderIdentity);
        await secondRun.CancelAsync();
        await Task.WhenAll(aTask, bTask).ContinueWith(_ => { });
    }
}
