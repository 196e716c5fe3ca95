using System.Text.RegularExpressions;
using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Attribute = Flock.Akash.Protos.BaseAttributesV1.Attribute;

namespace Flock.Sandbox.AkashProvider;

/// <summary>
/// The bid engine's shouldBid (provider bidengine/order.go): the group's placement attributes must be among the
/// provider's own (glob keys, equal values, chain-sdk Attribute.SubsetOf); with signedBy, among the attributes the
/// named auditors signed (MatchRequirements); GPU models and storage classes among its capabilities/… attributes.
/// Capacity is checked separately by <see cref="Inventory"/>.
/// </summary>
internal static class OrderMatcher
{
    public static bool Matches(GroupSpec spec, IReadOnlyList<Attribute> own, IReadOnlyList<AuditedProvider> audits)
    {
        var required = spec.Requirements?.Attributes.ToList() ?? [];
        if (!SubsetOf(required, own))
        {
            return false;
        }

        if (!Capabilities(spec, own))
        {
            return false;
        }

        var signedBy = spec.Requirements?.SignedBy;
        if (signedBy is null || (signedBy.AllOf.Count == 0 && signedBy.AnyOf.Count == 0))
        {
            return true;
        }

        var byAuditor = audits.GroupBy(a => a.Auditor, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Attribute>)g.Last().Attributes.ToList(), StringComparer.Ordinal);
        if (signedBy.AllOf.Any(a => !byAuditor.TryGetValue(a, out var signed) || !SubsetOf(required, signed)))
        {
            return false;
        }

        return signedBy.AnyOf.Count == 0 || signedBy.AnyOf.Any(a => byAuditor.TryGetValue(a, out var signed) && SubsetOf(required, signed));
    }

    /// <summary>Every storage class and GPU the group asks for is advertised (MatchResourcesRequirements).</summary>
    private static bool Capabilities(GroupSpec spec, IReadOnlyList<Attribute> own)
    {
        var gpus = own.Where(a => a.Key.StartsWith("capabilities/gpu/", StringComparison.Ordinal))
            .Select(a => new Attribute { Key = a.Key["capabilities/gpu/".Length..], Value = a.Value }).ToList();
        foreach (var unit in spec.Resources.Where(u => u.Resource is not null))
        {
            var gpu = unit.Resource.Gpu;
            if (gpu is not null && Inventory.Units(gpu.Units) > 0 && gpu.Attributes.Count > 0 && !gpu.Attributes.Any(req => gpus.Any(have => Matches(req, have))))
            {
                return false;
            }

            foreach (var s in unit.Resource.Storage)
            {
                // Persistent storage names a class the provider must advertise (capabilities/storage/<n>/class).
                var classAttr = s.Attributes.FirstOrDefault(a => a.Key == "class");
                if (classAttr is not null && classAttr.Value != "default" && classAttr.Value != "ram"
                    && !own.Any(a => a.Key.StartsWith("capabilities/storage/", StringComparison.Ordinal) && a.Key.EndsWith("/class", StringComparison.Ordinal) && a.Value == classAttr.Value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool SubsetOf(IReadOnlyList<Attribute> required, IReadOnlyList<Attribute> have) =>
        required.All(req => have.Any(h => Matches(req, h)));

    private static bool Matches(Attribute required, Attribute have) =>
        required.Value == have.Value && Glob(required.Key).IsMatch(have.Key);

    // Go filepath.Match: '*' is any run of non-'/' characters, '?' one non-'/' character.
    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", "[^/]*", StringComparison.Ordinal).Replace(@"\?", "[^/]", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
