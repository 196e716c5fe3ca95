using Flock.Akash.Chain;
using Flock.Akash.Protos.BaseAttributesV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.DeploymentV1Beta4;

namespace Flock.Akash.Sdl;

/// <summary>
/// SDL → akash.deployment.v1beta4.GroupSpec list (MsgCreateDeployment.groups), following chain-sdk's TypeScript
/// generateManifest: one group per placement, groups sorted by name; services visited in name order; one
/// resource unit per compute profile within a group (services sharing a profile add their count and endpoints
/// to it); resource ids numbered from 1 per group; endpoints sorted by (kind, sequence).
/// </summary>
public static class GroupSpecBuilder
{
    /// <summary>Builds the group specs, with each resource unit's resource id per (placement, profile).</summary>
    public static IReadOnlyList<GroupSpec> Build(SdlDocument doc) => BuildWithIds(doc).Groups;

    internal static (IReadOnlyList<GroupSpec> Groups, Dictionary<(string Placement, string Profile), uint> ResourceIds) BuildWithIds(SdlDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        // A document built in code (not by the parser) gets the same cross-reference checks.
        var errors = new List<SdlError>();
        SdlValidator.Validate(doc, errors);
        if (errors.Count > 0)
        {
            throw new SdlException(errors);
        }

        var sequence = SdlResources.EndpointSequenceNumbers(doc);
        var groups = new Dictionary<string, (GroupSpec Spec, Dictionary<string, int> UnitByProfile)>(StringComparer.Ordinal);
        var ids = new Dictionary<(string, string), uint>();

        foreach (var service in doc.Services.OrderBy(s => s.Name, SdlCollation.Instance))
        {
            foreach (var deployment in doc.Deployments.Where(d => d.Service == service.Name))
            {
                var placement = doc.Placements.Single(p => p.Name == deployment.Placement);
                var profile = doc.Compute.Single(c => c.Name == deployment.Profile);
                var price = placement.Pricing.Single(p => p.Profile == deployment.Profile);

                if (!groups.TryGetValue(placement.Name, out var group))
                {
                    group = (NewGroup(placement), new Dictionary<string, int>(StringComparer.Ordinal));
                    groups.Add(placement.Name, group);
                }

                if (group.UnitByProfile.TryGetValue(profile.Name, out var index))
                {
                    var unit = group.Spec.Resources[index];
                    unit.Count += deployment.Count;
                    unit.Resource.Endpoints.AddRange(SdlResources.Endpoints(service, sequence));
                    ids.TryAdd((placement.Name, profile.Name), unit.Resource.Id);
                    continue;
                }

                var id = (uint)group.Spec.Resources.Count + 1;
                ids[(placement.Name, profile.Name)] = id;
                group.Spec.Resources.Add(new ResourceUnit
                {
                    Resource = SdlResources.Build(id, profile, service, sequence),
                    Count = deployment.Count,
                    Price = new DecCoin { Denom = price.Denom, Amount = LegacyDec.ToWire(price.Amount) },
                });
                group.UnitByProfile[profile.Name] = group.Spec.Resources.Count - 1;
            }
        }

        foreach (var (spec, _) in groups.Values)
        {
            foreach (var unit in spec.Resources)
            {
                var sorted = unit.Resource.Endpoints.OrderBy(e => (int)e.Kind).ThenBy(e => e.SequenceNumber).ToList();
                unit.Resource.Endpoints.Clear();
                unit.Resource.Endpoints.AddRange(sorted);
            }
        }

        var result = groups.Keys.Order(StringComparer.Ordinal).Select(name => groups[name].Spec).ToList();
        return (result, ids);
    }

    private static GroupSpec NewGroup(SdlPlacement placement)
    {
        var signedBy = new SignedBy();
        signedBy.AllOf.AddRange(placement.SignedByAllOf ?? []);
        signedBy.AnyOf.AddRange(placement.SignedByAnyOf ?? []);
        var requirements = new PlacementRequirements { SignedBy = signedBy };
        requirements.Attributes.AddRange(SdlResources.Sorted(placement.Attributes ?? []));
        return new GroupSpec { Name = placement.Name, Requirements = requirements };
    }
}
