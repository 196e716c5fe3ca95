using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The unaggregated discovery documents: <c>/api</c>, <c>/apis</c>, <c>/apis/{group}</c>,
/// <c>/api/v1</c> and <c>/apis/{group}/{version}</c>, field for field as a v1.32 apiserver writes them.
/// </summary>
public static class DiscoveryDocuments
{
    /// <summary><c>/api</c>: APIVersions (no apiVersion field, as the real server omits it).</summary>
    public static JsonObject ApiVersions(string serverAddress = "127.0.0.1:6443", string clientCidr = "0.0.0.0/0") => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = clientCidr,
            ["serverAddress"] = serverAddress,
        }),
    };

    /// <summary><c>/apis</c>: APIGroupList of every named group, in the apiserver's order.</summary>
    public static JsonObject ApiGroupList(IEnumerable<ApiResource> resources)
    {
        var list = resources.ToList();
        var groups = new JsonArray();
        foreach (var group in ApiGroupOrder.Sort(list.Where(r => r.Group.Length > 0).Select(r => r.Group)))
        {
            groups.Add(GroupBody(list, group));
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    /// <summary><c>/apis/{group}</c>: one APIGroup, or null when no resource is in <paramref name="group"/>.</summary>
    public static JsonObject? ApiGroup(IEnumerable<ApiResource> resources, string group)
    {
        var list = resources.Where(r => r.Group == group).ToList();
        if (list.Count == 0 || group.Length == 0)
        {
            return null;
        }

        var body = GroupBody(list, group);
        var result = new JsonObject { ["kind"] = "APIGroup", ["apiVersion"] = "v1" };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            result[key] = value;
        }

        return result;
    }

    /// <summary>
    /// <c>/api/v1</c> or <c>/apis/{group}/{version}</c>: APIResourceList with one entry per resource and
    /// per subresource (<c>pods/log</c>, <c>deployments/scale</c>), sorted by name; null when the
    /// group/version is not served.
    /// </summary>
    public static JsonObject? ApiResourceList(IEnumerable<ApiResource> resources, string group, string version)
    {
        var list = resources.Where(r => r.Group == group && r.Version == version).ToList();
        if (list.Count == 0)
        {
            return null;
        }

        var entries = new List<(string Name, JsonObject Entry)>();
        foreach (var r in list)
        {
            var main = new JsonObject
            {
                ["name"] = r.Plural,
                ["singularName"] = r.Singular,
                ["namespaced"] = r.Namespaced,
                ["kind"] = r.Kind,
                ["verbs"] = Strings(r.Verbs),
            };
            if (r.ShortNames.Count > 0)
            {
                main["shortNames"] = Strings(r.ShortNames);
            }

            if (r.Categories.Count > 0)
            {
                main["categories"] = Strings(r.Categories);
            }

            if (!r.Virtual)
            {
                main["storageVersionHash"] = r.StorageVersionHash;
            }

            entries.Add((r.Plural, main));
            foreach (var sub in Subresources.Of(r))
            {
                var entry = new JsonObject
                {
                    ["name"] = $"{r.Plural}/{sub.Name}",
                    ["singularName"] = "",
                    ["namespaced"] = r.Namespaced,
                };
                if (!sub.SameKindAsParent && (sub.Group != r.Group || sub.Version != r.Version))
                {
                    entry["group"] = sub.Group;
                    entry["version"] = sub.Version;
                }

                entry["kind"] = sub.Kind;
                entry["verbs"] = Strings(sub.Verbs);
                entries.Add((entry["name"]!.GetValue<string>(), entry));
            }
        }

        var result = new JsonObject { ["kind"] = "APIResourceList" };
        if (group.Length > 0)
        {
            result["apiVersion"] = "v1";
        }

        result["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}";
        result["resources"] = new JsonArray(entries.OrderBy(e => e.Name, StringComparer.Ordinal).Select(e => (JsonNode)e.Entry).ToArray());
        return result;
    }

    /// <summary>The versions of <paramref name="group"/>, preferred first.</summary>
    public static IReadOnlyList<string> VersionsOf(IEnumerable<ApiResource> resources, string group) =>
        ApiGroupOrder.SortVersions(resources.Where(r => r.Group == group).Select(r => r.Version)).ToList();

    private static JsonObject GroupBody(IReadOnlyList<ApiResource> resources, string group)
    {
        var versions = VersionsOf(resources, group);
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(group, v)).ToArray()),
            ["preferredVersion"] = GroupVersion(group, versions[0]),
        };
    }

    private static JsonObject GroupVersion(string group, string version) => new()
    {
        ["groupVersion"] = $"{group}/{version}",
        ["version"] = version,
    };

    internal static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
