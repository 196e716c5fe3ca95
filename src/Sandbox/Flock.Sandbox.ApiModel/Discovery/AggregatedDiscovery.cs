using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// Aggregated discovery (apidiscovery.k8s.io v2, and v2beta1), the single document kubectl 1.32
/// fetches from <c>/api</c> and <c>/apis</c> when it sends <see cref="V2MediaType"/>.
/// </summary>
public static class AggregatedDiscovery
{
    /// <summary>The Accept (and response Content-Type) for v2.</summary>
    public const string V2MediaType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    /// <summary>The Accept (and response Content-Type) for v2beta1.</summary>
    public const string V2Beta1MediaType = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

    /// <summary>
    /// Which aggregated version an Accept header asks for, first match wins: "v2", "v2beta1", or null
    /// when it asks for none (then the server answers the unaggregated document).
    /// </summary>
    public static string? NegotiateVersion(string? accept)
    {
        if (string.IsNullOrEmpty(accept))
        {
            return null;
        }

        foreach (var clause in accept.Split(','))
        {
            var parameters = clause.Split(';').Select(p => p.Trim()).ToList();
            if (!parameters.Contains("g=apidiscovery.k8s.io") || !parameters.Contains("as=APIGroupDiscoveryList"))
            {
                continue;
            }

            if (parameters.Contains("v=v2"))
            {
                return "v2";
            }

            if (parameters.Contains("v=v2beta1"))
            {
                return "v2beta1";
            }
        }

        return null;
    }

    /// <summary>The media type to answer with for a negotiated version.</summary>
    public static string MediaTypeFor(string version) => version == "v2beta1" ? V2Beta1MediaType : V2MediaType;

    /// <summary><c>/api</c> aggregated: one item (the core group, no name) with v1.</summary>
    public static JsonObject ForLegacy(IEnumerable<ApiResource> resources, string version = "v2")
    {
        var core = resources.Where(r => r.Group.Length == 0).ToList();
        var items = new JsonArray();
        if (core.Count > 0)
        {
            items.Add(GroupItem(core, ""));
        }

        return List(items, version);
    }

    /// <summary><c>/apis</c> aggregated: every named group in discovery order.</summary>
    public static JsonObject ForApis(IEnumerable<ApiResource> resources, string version = "v2")
    {
        var list = resources.Where(r => r.Group.Length > 0).ToList();
        var items = new JsonArray();
        foreach (var group in ApiGroupOrder.Sort(list.Select(r => r.Group)))
        {
            items.Add(GroupItem(list.Where(r => r.Group == group).ToList(), group));
        }

        return List(items, version);
    }

    private static JsonObject List(JsonArray items, string version) => new()
    {
        ["kind"] = "APIGroupDiscoveryList",
        ["apiVersion"] = $"apidiscovery.k8s.io/{version}",
        ["metadata"] = new JsonObject(),
        ["items"] = items,
    };

    private static JsonObject GroupItem(IReadOnlyList<ApiResource> resources, string group)
    {
        var metadata = new JsonObject();
        if (group.Length > 0)
        {
            metadata["name"] = group;
        }

        metadata["creationTimestamp"] = null;
        var versions = new JsonArray();
        foreach (var version in ApiGroupOrder.SortVersions(resources.Select(r => r.Version)))
        {
            var inVersion = resources.Where(r => r.Version == version).OrderBy(r => r.Plural, StringComparer.Ordinal);
            versions.Add(new JsonObject
            {
                ["version"] = version,
                ["resources"] = new JsonArray(inVersion.Select(r => (JsonNode)Resource(r)).ToArray()),
                ["freshness"] = "Current",
            });
        }

        return new JsonObject { ["metadata"] = metadata, ["versions"] = versions };
    }

    private static JsonObject Resource(ApiResource r)
    {
        // Built-in resources report an empty group/version in responseKind (the installer leaves them
        // unset when they equal the request's); the CRD discovery controller fills them in.
        var kindGroup = r.IsCustom ? r.Group : "";
        var kindVersion = r.IsCustom ? r.Version : "";
        var resource = new JsonObject
        {
            ["resource"] = r.Plural,
            ["responseKind"] = Gvk(kindGroup, kindVersion, r.Kind),
            ["scope"] = r.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = r.Singular,
            ["verbs"] = DiscoveryDocuments.Strings(r.Verbs),
        };
        if (r.ShortNames.Count > 0)
        {
            resource["shortNames"] = DiscoveryDocuments.Strings(r.ShortNames);
        }

        if (r.Categories.Count > 0)
        {
            resource["categories"] = DiscoveryDocuments.Strings(r.Categories);
        }

        var subresources = Subresources.Of(r);
        if (subresources.Count > 0)
        {
            resource["subresources"] = new JsonArray(subresources.Select(s => (JsonNode)new JsonObject
            {
                ["subresource"] = s.Name,
                ["responseKind"] = s.SameKindAsParent
                    ? Gvk(kindGroup, kindVersion, s.Kind)
                    : Gvk(s.Group, s.Version, s.Kind),
                ["verbs"] = DiscoveryDocuments.Strings(s.Verbs),
            }).ToArray());
        }

        return resource;
    }

    private static JsonObject Gvk(string group, string version, string kind) => new()
    {
        ["group"] = group,
        ["version"] = version,
        ["kind"] = kind,
    };
}
