using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>The resources a server serves: the built-ins plus the custom resources of Established CRDs, with lookups.</summary>
public sealed class ApiCatalog
{
    public ApiCatalog(IEnumerable<ApiResource> resources)
    {
        Resources = resources.ToList();
    }

    public IReadOnlyList<ApiResource> Resources { get; }

    /// <summary>The built-ins plus the served versions of every CRD whose Established condition is True.</summary>
    public static ApiCatalog Build(IEnumerable<V1CustomResourceDefinition> crds, bool requireEstablished = true) =>
        new(BuiltinResources.All.Concat(crds
            .Where(crd => !requireEstablished || IsEstablished(crd))
            .SelectMany(CustomResources.FromCrd)));

    /// <summary>True when the CRD carries condition Established=True.</summary>
    public static bool IsEstablished(V1CustomResourceDefinition crd) =>
        crd?.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") ?? false;

    /// <summary>The resource at /api(s)/{group}/{version}/…/{plural}, or null.</summary>
    public ApiResource? Find(string group, string version, string plural) =>
        Resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>The resource serving a kind in a group/version, or null.</summary>
    public ApiResource? FindKind(string group, string version, string kind) =>
        Resources.FirstOrDefault(r => r.Group == group && r.Version == version && r.Kind == kind);

    /// <summary>The resource for an apiVersion ("apps/v1", "v1") and kind, or null.</summary>
    public ApiResource? FindByApiVersion(string apiVersion, string kind)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? FindKind("", apiVersion, kind) : FindKind(apiVersion[..slash], apiVersion[(slash + 1)..], kind);
    }
}
