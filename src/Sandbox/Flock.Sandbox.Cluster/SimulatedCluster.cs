using k8s;
using k8s.Models;
using Flock.Sandbox.Cluster.Controllers;
using Flock.Sandbox.Cluster.Kubelets;
using Flock.Sandbox.Cluster.Machinery;
using Flock.Sandbox.Cluster.Nodes;
using Flock.Sandbox.Cluster.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Sandbox.Cluster;

/// <summary>
/// The control loops of a simulated cluster — kube-controller-manager's Deployment, ReplicaSet, Job
/// and PV controllers, kube-scheduler and a kubelet per node — running against an API server they
/// reach only through <see cref="IKubernetes"/> (list+watch and writes, like the real components).
/// </summary>
public sealed class SimulatedCluster : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly ClusterOptions _options;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly ClusterCaches _caches;
    private readonly EventRecorder _events;
    private readonly List<ControllerLoop> _loops = [];
    private readonly List<Task> _tasks = [];
    // Every node ever registered, in order: a node's index gives its address, so it must not shift when one is removed.
    private readonly List<string> _nodes = [];
    private readonly HashSet<string> _removed = new(StringComparer.Ordinal);
    private readonly object _nodesLock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SchedulerLoop _scheduler;
    private int _started;

    public SimulatedCluster(IKubernetes client, ClusterOptions? options = null, ILoggerFactory? loggerFactory = null, IPodLogSink? logSink = null)
    {
        _client = client;
        _options = options ?? new ClusterOptions();
        _logs = loggerFactory ?? NullLoggerFactory.Instance;
        _log = _logs.CreateLogger<SimulatedCluster>();
        _caches = new ClusterCaches(client, _logs);
        _events = new EventRecorder(client, _options.Clock, _logs.CreateLogger<EventRecorder>());
        Kubelet = new Kubelet(logSink, _options.Clock);
        _scheduler = new SchedulerLoop(client, _caches, _events, _options, _logs.CreateLogger<SchedulerLoop>());
        _loops.Add(_scheduler);
        _loops.Add(new KubeletLoop(client, _caches, _events, Kubelet, _options, NodeNamesSnapshot, _logs.CreateLogger<KubeletLoop>()));
        _loops.Add(new DeploymentController(client, _caches, _events, _options.Clock, _logs.CreateLogger<DeploymentController>()));
        _loops.Add(new ReplicaSetController(client, _caches, _events, _options.Clock, _logs.CreateLogger<ReplicaSetController>()));
        _loops.Add(new JobController(client, _caches, _events, _options, _logs.CreateLogger<JobController>()));
        _loops.Add(new PvcBinder(client, _caches, _events, _options, _logs.CreateLogger<PvcBinder>()));
    }

    /// <summary>Failure injection and logs of the simulated kubelets.</summary>
    public Kubelet Kubelet { get; }

    /// <summary>The nodes this cluster's kubelets registered.</summary>
    public IReadOnlyList<string> NodeNames => NodeNamesSnapshot();

    /// <summary>True when the scheduler binds by patching spec.nodeName because the server refused pods/binding.</summary>
    public bool BindsThroughNodeName => _scheduler.BindsThroughNodeName;

    /// <summary>Creates, starts and returns a cluster (nodes registered, caches synced).</summary>
    public static async Task<SimulatedCluster> StartAsync(IKubernetes client, ClusterOptions? options = null, ILoggerFactory? loggerFactory = null,
        IPodLogSink? logSink = null, CancellationToken ct = default)
    {
        var cluster = new SimulatedCluster(client, options, loggerFactory, logSink);
        try
        {
            await cluster.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>Registers the configured nodes, starts the informers and every loop, and waits until the caches are synced.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1) throw new InvalidOperationException("already started");
        foreach (var node in _options.Nodes) await AddNodeAsync(node, ct).ConfigureAwait(false);
        foreach (var informer in _caches.All) _tasks.Add(Task.Run(() => informer.RunAsync(_stop.Token), CancellationToken.None));
        foreach (var loop in _loops) _tasks.Add(Task.Run(() => loop.RunAsync(_stop.Token), CancellationToken.None));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _stop.Token);
        await _caches.SyncedAsync().WaitAsync(linked.Token).ConfigureAwait(false);
        _log.LogInformation("simulated cluster started with nodes {Nodes}", string.Join(", ", NodeNames));
    }

    /// <summary>Registers a node (as its kubelet would on boot); pods waiting for its resources get scheduled.</summary>
    public async Task AddNodeAsync(NodeSpec spec, CancellationToken ct = default)
    {
        int index;
        lock (_nodesLock)
        {
            _removed.Remove(spec.Name);
            index = _nodes.IndexOf(spec.Name);
            if (index < 0)
            {
                _nodes.Add(spec.Name);
                index = _nodes.Count - 1;
            }
        }

        var address = $"10.0.0.{10 + index}";
        var node = NodeFactory.Object(spec, address, _options.KubernetesVersion);
        V1Node stored;
        try
        {
            stored = await _client.CoreV1.CreateNodeAsync(node, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Patches.IsConflict(e))
        {
            // Registered before (a restarted cluster against the same server): take it over with the current spec.
            var patch = Patches.Merge(new { metadata = new { labels = node.Metadata.Labels }, spec = new { unschedulable = spec.Unschedulable, taints = node.Spec.Taints } });
            stored = await _client.CoreV1.PatchNodeAsync(patch, spec.Name, cancellationToken: ct).ConfigureAwait(false);
        }

        // Status goes through the status subresource: a create may drop it, as the real apiserver does for most kinds.
        stored = await _client.CoreV1.PatchNodeStatusAsync(Patches.Status(node.Status, null), spec.Name, cancellationToken: ct).ConfigureAwait(false);
        _caches.Nodes.Upsert(stored);

        // What `kubectl describe node` shows for a freshly booted node.
        var target = EventTarget.Of(stored);
        await _events.NormalAsync("kubelet", spec.Name, target, "Starting", "Starting kubelet.", ct).ConfigureAwait(false);
        await _events.NormalAsync("kubelet", spec.Name, target, "NodeReady", $"Node {spec.Name} status is now: NodeReady", ct).ConfigureAwait(false);
        await _events.NormalAsync("node-controller", null, target, "RegisteredNode", $"Node {spec.Name} event: Registered Node {spec.Name} in Controller", ct)
            .ConfigureAwait(false);
    }

    /// <summary>Cordons (true) or uncordons a node, as kubectl cordon does (spec.unschedulable).</summary>
    public async Task SetUnschedulableAsync(string nodeName, bool unschedulable, CancellationToken ct = default)
    {
        var patch = Patches.Merge(new { spec = new { unschedulable } });
        var stored = await _client.CoreV1.PatchNodeAsync(patch, nodeName, cancellationToken: ct).ConfigureAwait(false);
        _caches.Nodes.Upsert(stored);
    }

    /// <summary>
    /// Removes a node as if its machine was deleted: the Node object goes, and the pod garbage collector
    /// marks the pods bound to it (DisruptionTarget, DeletionByPodGC) and force-deletes them, so their
    /// controllers recreate them and the scheduler places them elsewhere.
    /// </summary>
    public async Task RemoveNodeAsync(string nodeName, CancellationToken ct = default)
    {
        lock (_nodesLock) _removed.Add(nodeName);
        try
        {
            await _client.CoreV1.DeleteNodeAsync(nodeName, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Patches.IsNotFound(e))
        {
        }

        var pods = await _client.CoreV1.ListPodForAllNamespacesAsync(fieldSelector: $"spec.nodeName={nodeName}", cancellationToken: ct).ConfigureAwait(false);
        foreach (var pod in pods.Items.Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")))
        {
            try
            {
                var conditions = PodConditions.Set(pod.Status?.Conditions, new V1PodCondition
                {
                    Type = "DisruptionTarget",
                    Status = "True",
                    Reason = "DeletionByPodGC",
                    Message = "PodGC: node no longer exists",
                    LastTransitionTime = _options.Clock.GetUtcNow().UtcDateTime,
                });
                await _client.CoreV1.PatchNamespacedPodStatusAsync(Patches.Merge(new { status = new { conditions } }), pod.Metadata.Name,
                    pod.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                await _client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                    new V1DeleteOptions { GracePeriodSeconds = 0 }, cancellationToken: ct).ConfigureAwait(false);
            }
            catch (Exception e) when (Patches.IsNotFound(e))
            {
            }
        }
    }

    private IReadOnlyList<string> NodeNamesSnapshot()
    {
        lock (_nodesLock) return _nodes.Where(n => !_removed.Contains(n)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Loops stop by cancellation.
        }

        foreach (var loop in _loops) loop.Dispose();
        _stop.Dispose();
    }
}
