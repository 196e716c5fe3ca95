using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using k8s;
using k8s.Models;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// Every resource the server serves: the built-in catalog plus one entry per served version of each
/// established CRD. Snapshots are immutable and swapped whole when a CRD changes.
/// </summary>
public sealed class ResourceCatalog
{
    private ImmutableDictionary<string, ImmutableArray<ApiResource>> _crds = ImmutableDictionary<string, ImmutableArray<ApiResource>>.Empty;
    private Snapshot _snapshot;

    public ResourceCatalog() => _snapshot = new Snapshot(BuiltinResources.All);

    /// <summary>Every served resource (all versions).</summary>
    public IReadOnlyList<ApiResource> All => _snapshot.All;

    public event Action? Changed;

    public ApiResource? Find(string group, string version, string plural) =>
        _snapshot.ByPath.TryGetValue((group, version, plural), out var r) ? r : null;

    public ApiResource? FindByKind(string group, string version, string kind) =>
        _snapshot.All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Kind == kind);

    /// <summary>The storage-level key of a resource: all versions of a group/plural share one table.</summary>
    public static string StorageKey(ApiResource r) => r.GroupResource;

    /// <summary>Served versions of a CRD (by CRD name), or empty.</summary>
    public ImmutableArray<ApiResource> ForCrd(string crdName) => _crds.TryGetValue(crdName, out var v) ? v : [];

    internal void SetCrd(string crdName, ImmutableArray<ApiResource> resources)
    {
        lock (this)
        {
            _crds = resources.IsEmpty ? _crds.Remove(crdName) : _crds.SetItem(crdName, resources);
            _snapshot = new Snapshot([.. BuiltinResources.All, .. _crds.OrderBy(k => k.Key, StringComparer.Ordinal).SelectMany(k => k.Value)]);
        }

        Changed?.Invoke();
    }

    /// <summary>The resources a CRD object defines, one per served version.</summary>
    public static ImmutableArray<ApiResource> FromCrd(JsonObject crdJson)
    {
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(crdJson.ToJsonString());
        return [.. CustomResources.FromCrd(crd)];
    }

    private sealed class Snapshot
    {
        public Snapshot(IReadOnlyList<ApiResource> all)
        {
            All = all;
            ByPath = all.GroupBy(r => (r.Group, r.Version, r.Plural)).ToDictionary(g => g.Key, g => g.First());
        }

        public IReadOnlyList<ApiResource> All { get; }
        public Dictionary<(string, string, string), ApiResource> ByPath { get; }
    }
}
