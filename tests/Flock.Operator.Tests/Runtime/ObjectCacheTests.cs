using Flock.Operator.Runtime.Informers;
using k8s.Models;

namespace Flock.Operator.Tests.Runtime;

public sealed class ObjectCacheTests
{
    private static V1Deployment Deployment(string ns, string name, string? ownerUid = null, string rv = "1") => new()
    {
        Metadata = new V1ObjectMeta
        {
            NamespaceProperty = ns,
            Name = name,
            ResourceVersion = rv,
            OwnerReferences = ownerUid is null ? null : [new V1OwnerReference { Uid = ownerUid, Name = "owner", Kind = "FlockTrainingNode", ApiVersion = "flock.io/v1alpha1" }],
        },
    };

    [Fact]
    public void Indexes_follow_updates_and_removals()
    {
        var cache = new ObjectCache<V1Deployment>();
        cache.AddIndex("image", d => d.Metadata.Name.StartsWith("gpu", StringComparison.Ordinal) ? ["gpu"] : ["cpu"]);

        cache.Upsert(Deployment("a", "gpu-1", ownerUid: "u1"));
        cache.Upsert(Deployment("a", "cpu-1"));
        cache.Upsert(Deployment("b", "gpu-2", ownerUid: "u1"));
        cache.Upsert(Deployment("a", "gpu-1", ownerUid: "u2", rv: "2"));
        cache.Remove(new ObjectKey("b", "gpu-2"));

        Assert.Equal(["cpu-1", "gpu-1"], cache.ByIndex(ObjectCache<V1Deployment>.NamespaceIndex, "a").Select(d => d.Metadata.Name).Order());
        Assert.Empty(cache.ByIndex(ObjectCache<V1Deployment>.NamespaceIndex, "b"));
        Assert.Empty(cache.ByIndex(ObjectCache<V1Deployment>.OwnerUidIndex, "u1"));
        Assert.Equal("gpu-1", Assert.Single(cache.ByIndex(ObjectCache<V1Deployment>.OwnerUidIndex, "u2")).Metadata.Name);
        Assert.Equal("gpu-1", Assert.Single(cache.ByIndex("image", "gpu")).Metadata.Name);
    }

    [Fact]
    public void An_index_added_late_covers_objects_already_cached()
    {
        var cache = new ObjectCache<V1Deployment>();
        cache.Upsert(Deployment("a", "x"));

        cache.AddIndex("name", d => [d.Metadata.Name]);

        Assert.Single(cache.ByIndex("name", "x"));
    }

    [Fact]
    public void Keys_parse_back_to_namespace_and_name()
    {
        Assert.Equal(new ObjectKey("ns", "n"), ObjectKey.Parse("ns/n"));
        Assert.Equal(new ObjectKey(null, "node-1"), ObjectKey.Parse("node-1"));
        Assert.Equal("ns/n", new ObjectKey("ns", "n").ToString());
    }
}
