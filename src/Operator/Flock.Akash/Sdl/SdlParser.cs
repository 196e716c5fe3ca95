using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Flock.Akash.Sdl;

/// <summary>
/// Parses SDL v2.0 / v2.1 YAML into an <see cref="SdlDocument"/> and checks the rules chain-sdk's validator
/// enforces (schema shape, cross references, GPU units vs attributes, persistent storage mounts, leased IPs).
/// Every problem is collected and reported together in one <see cref="SdlException"/>.
/// Env values are never quoted in errors: they may be secrets.
/// </summary>
public static partial class SdlParser
{
    // Not supported (rejected as unknown rather than silently dropped): include, reclamation and params.tee (node v2.1).
    private static readonly string[] TopKeys = ["version", "services", "profiles", "deployment", "endpoints"];

    /// <summary>Parses and validates SDL text.</summary>
    public static SdlDocument Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            // The YAML library's message can quote the offending text (an env value); report the position only.
            throw new SdlException([new SdlError("/", $"not valid YAML (line {e.Start.Line}, column {e.Start.Column})")]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's parser throws these, without a position, for some broken document structures.
            throw new SdlException([new SdlError("/", "not valid YAML (a broken document structure)")]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new SdlException([new SdlError("/", "an SDL is one YAML document whose root is a mapping")]);
        }

        var ctx = new Context();
        var doc = ctx.Document(root);
        ctx.ThrowIfAny();
        SdlValidator.Validate(doc, ctx.Errors);
        ctx.ThrowIfAny();
        return doc;
    }

    private sealed partial class Context
    {
        public List<SdlError> Errors { get; } = [];

        public void ThrowIfAny()
        {
            if (Errors.Count > 0)
            {
                throw new SdlException(Errors);
            }
        }

        private void Error(string path, string message) => Errors.Add(new SdlError(path, message));

        public SdlDocument Document(YamlMappingNode root)
        {
            CheckKeys(root, "", TopKeys);
            var version = RequiredString(root, "", "version") ?? "";
            if (version.Length > 0 && version is not ("2.0" or "2.1"))
            {
                Error("/version", "must be \"2.0\" or \"2.1\" (a quoted string)");
            }

            var services = Map(root, "", "services", required: true).Select(e => Service(e.Key, e.Value, "/services/" + e.Key)).ToList();
            if (services.Count == 0)
            {
                Error("/services", "at least one service is required");
            }

            var profilesNode = Child(root, "profiles");
            var compute = new List<SdlComputeProfile>();
            var placements = new List<SdlPlacement>();
            if (profilesNode is YamlMappingNode profiles)
            {
                CheckKeys(profiles, "/profiles", ["compute", "placement"]);
                compute.AddRange(Map(profiles, "/profiles", "compute", required: true).Select(e => Compute(e.Key, e.Value, "/profiles/compute/" + e.Key)));
                placements.AddRange(Map(profiles, "/profiles", "placement", required: true).Select(e => Placement(e.Key, e.Value, "/profiles/placement/" + e.Key)));
            }
            else
            {
                Error("/profiles", "is required and must be a mapping");
            }

            var deployments = new List<SdlDeployment>();
            foreach (var (service, node) in Map(root, "", "deployment", required: true))
            {
                if (node is not YamlMappingNode byPlacement)
                {
                    Error("/deployment/" + service, "must be a mapping of placement to {profile, count}");
                    continue;
                }

                foreach (var (placement, entry) in Entries(byPlacement, "/deployment/" + service))
                {
                    var path = $"/deployment/{service}/{placement}";
                    if (entry is not YamlMappingNode e)
                    {
                        Error(path, "must be a mapping with profile and count");
                        continue;
                    }

                    CheckKeys(e, path, ["profile", "count"]);
                    var profile = RequiredString(e, path, "profile") ?? "";
                    var count = RequiredUInt(e, path, "count", min: 1) ?? 0;
                    deployments.Add(new SdlDeployment(service, placement, profile, count));
                }
            }

            var endpoints = new List<string>();
            foreach (var (name, node) in Map(root, "", "endpoints", required: false))
            {
                if (node is not YamlMappingNode e || Child(e, "kind") is not YamlScalarNode { Value: "ip" })
                {
                    Error("/endpoints/" + name, "must be {kind: ip}");
                    continue;
                }

                endpoints.Add(name);
            }

            if (endpoints.Count > 0 && version != "2.1")
            {
                Error("/endpoints", "needs version \"2.1\"");
            }

            return new SdlDocument(version, services, compute, placements, deployments, endpoints);
        }
    }
}
