namespace Flock.Sandbox.ApiModel;

/// <summary>What a subresource answers with and which verbs it takes, as discovery reports it.</summary>
/// <param name="Name">status, scale, log…</param>
/// <param name="Group">Group of the response kind; equal to the parent's unless the subresource answers another kind (scale).</param>
/// <param name="Version">Version of the response kind.</param>
/// <param name="Kind">Response kind (Scale for scale, the parent's kind otherwise).</param>
/// <param name="Verbs">Verbs discovery lists for the subresource.</param>
/// <param name="SameKindAsParent">True when the subresource answers with the parent's own kind.</param>
public sealed record SubresourceInfo(string Name, string Group, string Version, string Kind, IReadOnlyList<string> Verbs, bool SameKindAsParent);

/// <summary>The subresources of an <see cref="ApiResource"/>, in the order discovery sorts them.</summary>
public static class Subresources
{
    private static readonly IReadOnlyList<string> GetPatchUpdate = ["get", "patch", "update"];

    /// <summary>All subresources of <paramref name="resource"/>, sorted by name as the apiserver sorts its paths.</summary>
    public static IReadOnlyList<SubresourceInfo> Of(ApiResource resource)
    {
        var names = new SortedSet<string>(resource.OtherSubresources, StringComparer.Ordinal);
        if (resource.HasStatusSubresource)
        {
            names.Add("status");
        }

        return names.Select(name => Describe(resource, name)).ToList();
    }

    /// <summary>True when <paramref name="resource"/> serves <paramref name="subresource"/>.</summary>
    public static bool Has(ApiResource resource, string subresource) =>
        (subresource == "status" && resource.HasStatusSubresource) || resource.OtherSubresources.Contains(subresource);

    /// <summary>Describes one subresource by name.</summary>
    public static SubresourceInfo Describe(ApiResource resource, string name) => name switch
    {
        "scale" => new SubresourceInfo(name, "autoscaling", "v1", "Scale", GetPatchUpdate, false),
        "log" => new SubresourceInfo(name, resource.Group, resource.Version, resource.Kind, ["get"], true),
        "exec" => new SubresourceInfo(name, "", "v1", "PodExecOptions", ["create", "get"], false),
        "attach" => new SubresourceInfo(name, "", "v1", "PodAttachOptions", ["create", "get"], false),
        "portforward" => new SubresourceInfo(name, "", "v1", "PodPortForwardOptions", ["create", "get"], false),
        "proxy" => new SubresourceInfo(name, "", "v1", resource.Kind == "Pod" ? "PodProxyOptions" : $"{resource.Kind}ProxyOptions",
            ["create", "delete", "get", "patch", "update"], false),
        "eviction" => new SubresourceInfo(name, "policy", "v1", "Eviction", ["create"], false),
        "binding" => new SubresourceInfo(name, "", "v1", "Binding", ["create"], false),
        "ephemeralcontainers" or "resize" => new SubresourceInfo(name, resource.Group, resource.Version, resource.Kind, GetPatchUpdate, true),
        "token" => new SubresourceInfo(name, "authentication.k8s.io", "v1", "TokenRequest", ["create"], false),
        "finalize" => new SubresourceInfo(name, resource.Group, resource.Version, resource.Kind, ["update"], true),
        "approval" => new SubresourceInfo(name, resource.Group, resource.Version, resource.Kind, GetPatchUpdate, true),
        _ => new SubresourceInfo(name, resource.Group, resource.Version, resource.Kind, GetPatchUpdate, true),
    };
}
