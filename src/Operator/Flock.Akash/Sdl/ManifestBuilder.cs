using System.Text;
using System.Text.Json.Nodes;
using Flock.Akash.Protos.BaseAttributesV1;
using Attribute = Flock.Akash.Protos.BaseAttributesV1.Attribute;
using Flock.Akash.Protos.BaseResourcesV1Beta4;

namespace Flock.Akash.Sdl;

/// <summary>
/// SDL → manifest (akash.manifest.v2beta3 groups as JSON, what PUT /deployment/{dseq}/manifest receives).
/// Field names are the Go JSON tags; the rules for null vs empty vs omitted follow chain-sdk's TypeScript
/// manifestToSortedJSON, whose output the Go provider reproduces byte for byte when it re-marshals:
/// empty command/args/env/hosts → null, empty attributes and endpoint kind 0 → omitted, credentials null when absent.
/// </summary>
public static class ManifestBuilder
{
    /// <summary>The manifest groups, one per placement, sorted by name; services in each sorted by name.</summary>
    public static JsonArray Build(SdlDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        var (groups, ids) = GroupSpecBuilder.BuildWithIds(doc);
        var sequence = SdlResources.EndpointSequenceNumbers(doc);
        var result = new JsonArray();
        foreach (var group in groups)
        {
            var services = new JsonArray();
            foreach (var deployment in doc.Deployments.Where(d => d.Placement == group.Name).OrderBy(d => d.Service, SdlCollation.Instance))
            {
                var service = doc.Services.Single(s => s.Name == deployment.Service);
                var profile = doc.Compute.Single(c => c.Name == deployment.Profile);
                var id = ids.GetValueOrDefault((group.Name, deployment.Profile), 1u);
                services.Add(Service(service, profile, id, deployment.Count, sequence));
            }

            result.Add(new JsonObject { ["name"] = group.Name, ["services"] = services });
        }

        return result;
    }

    private static JsonObject Service(SdlService service, SdlComputeProfile profile, uint id, uint count, IReadOnlyDictionary<string, uint> sequence)
    {
        var json = new JsonObject
        {
            ["name"] = service.Name,
            ["image"] = service.Image,
            ["command"] = NullIfEmpty(service.Command),
            ["args"] = NullIfEmpty(service.Args),
            ["env"] = NullIfEmpty(service.Env),
            ["resources"] = Resources(SdlResources.Build(id, profile, service, sequence)),
            ["count"] = count,
            ["expose"] = Expose(service, sequence),
        };
        if (service.Params is { } p)
        {
            var parameters = new JsonObject
            {
                ["storage"] = new JsonArray(p.Storage.OrderBy(s => s.Name, StringComparer.Ordinal)
                    .Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["mount"] = s.Mount ?? "", ["readOnly"] = s.ReadOnly }).ToArray()),
            };
            if (p.PermissionsRead is { } read)
            {
                parameters["permissions"] = new JsonObject { ["read"] = new JsonArray(read.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()) };
            }

            json["params"] = parameters;
        }

        json["credentials"] = service.Credentials is { } c
            ? new JsonObject { ["host"] = c.Host, ["email"] = c.Email ?? "", ["username"] = c.Username, ["password"] = c.Password }
            : null;
        return json;
    }

    private static JsonArray Expose(SdlService service, IReadOnlyDictionary<string, uint> sequence)
    {
        var items = service.Expose.SelectMany(e => e.To.Select(t => (Expose: e, To: t, Proto: SdlResources.Proto(e.Proto))))
            .OrderBy(x => x.To.Service ?? "", SdlCollation.Instance)
            .ThenBy(x => x.Expose.Port)
            .ThenBy(x => x.Proto, SdlCollation.Instance)
            .ThenBy(x => x.To.Global ? 0 : 1);
        var array = new JsonArray();
        foreach (var (expose, to, proto) in items)
        {
            var http = expose.HttpOptions;
            var httpOptions = new JsonObject
            {
                ["maxBodySize"] = http?.MaxBodySize ?? 1048576,
                ["readTimeout"] = http?.ReadTimeout ?? 60000,
                ["sendTimeout"] = http?.SendTimeout ?? 60000,
                ["nextTries"] = http?.NextTries ?? 3,
                ["nextTimeout"] = http?.NextTimeout ?? 0,
            };
            var nextCases = http?.NextCases ?? ["error", "timeout"];
            if (nextCases.Count > 0)
            {
                // Go tags nextCases omitempty: an empty list must be left out or the provider's re-marshal differs.
                httpOptions["nextCases"] = new JsonArray(nextCases.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
            }

            array.Add(new JsonObject
            {
                ["port"] = expose.Port,
                ["externalPort"] = expose.As ?? 0,
                ["proto"] = proto,
                ["service"] = to.Service ?? "",
                ["global"] = to.Global,
                ["hosts"] = NullIfEmpty(expose.Accept),
                ["httpOptions"] = httpOptions,
                ["ip"] = to.Ip ?? "",
                ["endpointSequenceNumber"] = string.IsNullOrEmpty(to.Ip) ? 0 : sequence.GetValueOrDefault(to.Ip),
            });
        }

        return array;
    }

    /// <summary>Resources as manifest JSON: quantity is written "size", sequence as "sequence_number".</summary>
    internal static JsonObject Resources(Resources r)
    {
        var json = new JsonObject
        {
            ["id"] = r.Id,
            ["cpu"] = WithAttributes(new JsonObject { ["units"] = Value(r.Cpu.Units) }, r.Cpu.Attributes),
            ["memory"] = WithAttributes(new JsonObject { ["size"] = Value(r.Memory.Quantity) }, r.Memory.Attributes),
            ["storage"] = new JsonArray(r.Storage.Select(s => (JsonNode)WithAttributes(new JsonObject { ["name"] = s.Name, ["size"] = Value(s.Quantity) }, s.Attributes)).ToArray()),
            ["gpu"] = WithAttributes(new JsonObject { ["units"] = Value(r.Gpu.Units) }, r.Gpu.Attributes),
            ["endpoints"] = new JsonArray(r.Endpoints.Select(e =>
            {
                var endpoint = new JsonObject();
                if (e.Kind != Endpoint.Types.Kind.SharedHttp)
                {
                    endpoint["kind"] = (int)e.Kind;
                }

                endpoint["sequence_number"] = e.SequenceNumber;
                return (JsonNode)endpoint;
            }).ToArray()),
        };
        return json;
    }

    private static JsonObject WithAttributes(JsonObject json, IEnumerable<Attribute> attributes)
    {
        var list = attributes.ToList();
        if (list.Count > 0)
        {
            json["attributes"] = new JsonArray(list.Select(a => (JsonNode)new JsonObject { ["key"] = a.Key, ["value"] = a.Value }).ToArray());
        }

        return json;
    }

    private static JsonObject Value(ResourceValue value) => new() { ["val"] = Encoding.UTF8.GetString(value.Val.Span) };

    private static JsonArray? NullIfEmpty(IReadOnlyList<string>? values) =>
        values is { Count: > 0 } ? new JsonArray(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()) : null;
}
