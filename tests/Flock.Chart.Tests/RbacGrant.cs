using YamlDotNet.RepresentationModel;

namespace Flock.Chart.Tests;

/// <summary>One verb on one resource of one API group: the unit RBAC rules are compared in.</summary>
internal sealed record RbacGrant(string ApiGroup, string Resource, string Verb)
{
    /// <summary>Every (apiGroup, resource, verb) a Role or ClusterRole grants.</summary>
    public static IReadOnlySet<RbacGrant> Of(YamlNode role) =>
        role.Items("rules")
            .SelectMany(rule =>
                from apiGroup in rule.Texts("apiGroups")
                from resource in rule.Texts("resources")
                from verb in rule.Texts("verbs")
                select new RbacGrant(apiGroup, resource, verb))
            .ToHashSet();

    /// <summary>The verbs a role grants on one resource (or subresource, e.g. "flockvalidators/status"), sorted.</summary>
    public static IReadOnlyList<string> VerbsOn(YamlNode role, string apiGroup, string resource) =>
        Of(role).Where(g => g.ApiGroup == apiGroup && g.Resource == resource).Select(g => g.Verb).Order(StringComparer.Ordinal).ToList();

    /// <summary>Fails, naming the missing and the extra grants, unless both sets hold the same grants.</summary>
    public static void AssertSame(IEnumerable<RbacGrant> expected, IEnumerable<RbacGrant> actual)
    {
        var want = expected.ToHashSet();
        var have = actual.ToHashSet();
        var missing = want.Except(have).ToList();
        var extra = have.Except(want).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0, $"missing: [{string.Join("; ", missing)}] extra: [{string.Join("; ", extra)}]");
    }
}
