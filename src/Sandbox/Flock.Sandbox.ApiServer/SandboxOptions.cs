namespace Flock.Sandbox.ApiServer;

/// <summary>How to start a <see cref="SandboxApiServer"/>.</summary>
public sealed record SandboxOptions
{
    /// <summary>Port on 127.0.0.1; 0 picks a free one (kept across restarts).</summary>
    public int Port { get; init; }

    /// <summary>Admin bearer token (bypasses RBAC); generated when null.</summary>
    public string? AdminToken { get; init; }

    /// <summary>Events kept per resource for watches from an older resourceVersion.</summary>
    public int HistorySize { get; init; } = 10_000;

    /// <summary>Interval between BOOKMARK events of watches that allow them.</summary>
    public TimeSpan BookmarkInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest a watch stays open without timeoutSeconds.</summary>
    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Events a slow watcher may have queued before it is closed.</summary>
    public int WatchQueueCapacity { get; init; } = 10_000;

    /// <summary>Delay before a new CRD becomes Established and its resources are served.</summary>
    public TimeSpan CrdEstablishDelay { get; init; } = TimeSpan.Zero;

    /// <summary>Interval of the garbage collector's periodic sweep (it also runs after every deletion).</summary>
    public TimeSpan GarbageCollectionInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Pods bound to a node (spec.nodeName) are deleted gracefully, as on a real cluster: DELETE sets
    /// deletionTimestamp (now + grace period) and the kubelet — here the simulated one — removes the pod
    /// with gracePeriodSeconds=0. When false, pods are removed at once.
    /// </summary>
    public bool GracefulPodDeletion { get; init; } = true;

    /// <summary>
    /// Publish the kube-root-ca.crt ConfigMap in every namespace, as kube-controller-manager's root CA
    /// publisher does on a real cluster. Off by default for now: suites that count ConfigMaps in a
    /// namespace assume they are alone (turn it on to see what a real cluster shows).
    /// </summary>
    public bool PublishRootCaConfigMap { get; init; }

    /// <summary>Serve HTTP/2 as well as HTTP/1.1 (ALPN).</summary>
    public bool Http2 { get; init; } = true;
}
