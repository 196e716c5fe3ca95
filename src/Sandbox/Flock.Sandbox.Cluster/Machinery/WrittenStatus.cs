using k8s;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>
/// The last status each controller wrote per object: a pass skips a write when the cache or its own
/// last write already says the same, so a server that echoes status slightly differently (omitted
/// zeros, rounded times) cannot make a controller rewrite it forever.
/// </summary>
internal sealed class WrittenStatus
{
    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);

    public bool NeedsWrite(string uid, object status, object? cached)
    {
        var json = KubernetesJson.Serialize(status);
        if (cached is not null && KubernetesJson.Serialize(cached) == json) return false;
        return !_last.TryGetValue(uid, out var last) || last != json;
    }

    public void Written(string uid, object status) => _last[uid] = KubernetesJson.Serialize(status);

    public void Forget(IEnumerable<string> liveUids)
    {
        var live = liveUids.ToHashSet(StringComparer.Ordinal);
        foreach (var k in _last.Keys.Where(k => !live.Contains(k)).ToList()) _last.Remove(k);
    }
}
