using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// The generic registry of k8s.io/apiserver (create, update, patch, delete, list) over the
/// <see cref="ClusterStore"/>: metadata rules, optimistic concurrency, generation, status
/// subresource, finalizers, deletion propagation, field validation, admission and managedFields.
/// </summary>
internal sealed partial class ApiMachinery
{
    private static readonly ApiResource NamespacesResource = BuiltinResources.Find("", "namespaces")!;
    private static readonly ApiResource CrdsResource = BuiltinResources.Find("apiextensions.k8s.io", "customresourcedefinitions")!;

    private readonly ResourceCatalog _catalog;
    private readonly ClusterStore _store;
    private readonly FaultInjector _faults;
    private readonly TimeProvider _clock;

    public ApiMachinery(ResourceCatalog catalog, ClusterStore store, FaultInjector faults, TimeProvider clock)
    {
        _catalog = catalog;
        _store = store;
        _faults = faults;
        _clock = clock;
    }

    public ResourceCatalog Catalog => _catalog;
    public ClusterStore Store => _store;

    /// <summary>Raised when something may need garbage collection or finalization.</summary>
    public event Action? Activity;

    private void Signal() => Activity?.Invoke();

    private DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Resources whose metadata.generation the apiserver maintains.</summary>
    private static bool HasGeneration(ApiResource r) =>
        r.IsCustom || r.Group is "apps" or "batch" || r.Kind is "CustomResourceDefinition";

    private static string Manager(WriteOptions o) => string.IsNullOrEmpty(o.FieldManager) ? o.DefaultManager : o.FieldManager!;

    /// <summary>A custom resource read at another served version than it was written in.</summary>
    internal static JsonObject ForVersion(ApiResource r, JsonObject obj)
    {
        if (r.IsCustom && Json.Str(obj, "apiVersion") != r.ApiVersion) obj["apiVersion"] = r.ApiVersion;
        return obj;
    }
}
