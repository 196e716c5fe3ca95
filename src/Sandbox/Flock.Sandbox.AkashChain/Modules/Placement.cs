using System.Text.RegularExpressions;
using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1Beta5;
using Attribute = Flock.Akash.Protos.BaseAttributesV1.Attribute;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>
/// Whether a provider may bid on an order, as chain-sdk deployment/v1beta4 GroupSpec.MatchRequirements,
/// MatchResourcesRequirements and market/v1beta5 ResourcesOffer.MatchGSpec decide it. A required attribute
/// matches a provider attribute when its key, as a Go filepath.Match glob, matches and the values are equal.
/// </summary>
internal static class Placement
{
    /// <summary>Placement attributes: from the provider's own attributes, or — with signed_by — from auditors' attestations.</summary>
    public static bool MatchRequirements(GroupSpec spec, IReadOnlyList<Attribute> providerAttributes, IReadOnlyList<AuditedProvider> audits)
    {
        var required = spec.Requirements?.Attributes.ToList() ?? [];
        var signedBy = spec.Requirements?.SignedBy;
        if (signedBy is null || (signedBy.AllOf.Count == 0 && signedBy.AnyOf.Count == 0))
        {
            return SubsetOf(required, providerAttributes);
        }

        var byAuditor = audits.GroupBy(a => a.Auditor, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<Attribute>)g.Last().Attributes.ToList(), StringComparer.Ordinal);
        if (signedBy.AllOf.Any(auditor => !byAuditor.TryGetValue(auditor, out var attested) || !SubsetOf(required, attested)))
        {
            return false;
        }

        return signedBy.AnyOf.Count == 0 || signedBy.AnyOf.Any(auditor => byAuditor.TryGetValue(auditor, out var attested) && SubsetOf(required, attested));
    }

    /// <summary>Storage classes and GPU models the group asks for must be among the provider's capabilities/… attributes.</summary>
    public static bool MatchResources(GroupSpec spec, IReadOnlyList<Attribute> providerAttributes)
    {
        foreach (var unit in spec.Resources)
        {
            var resources = unit.Resource;
            if (resources is null)
            {
                continue;
            }

            var storageGroups = CapabilitiesGroups(providerAttributes, "storage");
            foreach (var storage in resources.Storage.Where(s => s.Attributes.Count > 0))
            {
                if (!storageGroups.Any(g => SubsetOf(storage.Attributes.ToList(), g)))
                {
                    return false;
                }
            }

            var gpu = resources.Gpu;
            if (gpu is not null && GpuUnits(gpu) > 0 && gpu.Attributes.Count > 0)
            {
                var capabilities = CapabilitiesMap(providerAttributes, "gpu");
                if (!gpu.Attributes.Any(req => capabilities.Any(have => Matches(req, have))))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>An offer may be empty; otherwise each offered resource id must be in the group with the same count.</summary>
    public static bool MatchOffer(IReadOnlyList<ResourceOffer> offers, GroupSpec spec)
    {
        if (offers.Count == 0)
        {
            return true;
        }

        var units = spec.Resources.Where(r => r.Resource is not null).GroupBy(r => r.Resource.Id).ToDictionary(g => g.Key, g => g.Last());
        foreach (var offer in offers)
        {
            if (offer.Resources is null || !units.Remove(offer.Resources.Id, out var unit) || unit.Count != offer.Count)
            {
                return false;
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

    // "capabilities/storage/1/class" → group "1", key "class".
    private static List<List<Attribute>> CapabilitiesGroups(IReadOnlyList<Attribute> attributes, string prefix) =>
        attributes.Where(a => a.Key.StartsWith("capabilities/" + prefix, StringComparison.Ordinal))
            .Select(a => (Tokens: a.Key["capabilities/".Length..].Split('/'), a.Value))
            .Where(t => t.Tokens.Length == 3)
            .GroupBy(t => t.Tokens[1], StringComparer.Ordinal)
            .Select(g => g.Select(t => new Attribute { Key = t.Tokens[2], Value = t.Value }).ToList())
            .ToList();

    // "capabilities/gpu/vendor/nvidia/model/h100" → "vendor/nvidia/model/h100".
    private static List<Attribute> CapabilitiesMap(IReadOnlyList<Attribute> attributes, string prefix) =>
        attributes.Where(a => a.Key.StartsWith("capabilities/" + prefix, StringComparison.Ordinal))
            .Select(a => (Tokens: a.Key["capabilities/".Length..].Split('/'), a.Value))
            .Where(t => t.Tokens.Length >= 3)
            .Select(t => new Attribute { Key = string.Join('/', t.Tokens[1..]), Value = t.Value })
            .ToList();

    private static ulong GpuUnits(Flock.Akash.Protos.BaseResourcesV1Beta4.GPU gpu) =>
        gpu.Units is null || gpu.Units.Val.IsEmpty ? 0 : ulong.TryParse(gpu.Units.Val.ToStringUtf8(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;
}
