namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>
/// resourceVersion is opaque to clients, but both the sandbox and etcd hand out increasing integers;
/// comparing them lets a cache keep its own write-through copy when an older watch event arrives late.
/// </summary>
internal static class ResourceVersions
{
    /// <summary>True when <paramref name="incoming"/> is not known to be older than <paramref name="current"/>.</summary>
    public static bool IsNotOlder(string? incoming, string? current) =>
        !(long.TryParse(incoming, out var a) && long.TryParse(current, out var b) && a < b);
}
