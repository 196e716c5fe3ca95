using System.Globalization;
using System.Text;
using Flock.Akash.Protos.BaseAttributesV1;
using Attribute = Flock.Akash.Protos.BaseAttributesV1.Attribute;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Google.Protobuf;

namespace Flock.Akash.Sdl;

/// <summary>
/// Turns one (compute profile, service) pair into the chain's Resources message: the same value goes into
/// the group spec (what providers bid on) and the manifest (what the provider runs), which must match.
/// </summary>
internal static class SdlResources
{
    public static Resources Build(uint id, SdlComputeProfile profile, SdlService service, IReadOnlyDictionary<string, uint> endpointSequence)
    {
        var resources = new Resources
        {
            Id = id,
            Cpu = new CPU { Units = Value(profile.CpuMillis) },
            Memory = new Memory { Quantity = Value(profile.MemoryBytes) },
            Gpu = new GPU { Units = Value(profile.Gpu?.Units ?? 0) },
        };
        resources.Cpu.Attributes.AddRange(Sorted(profile.CpuAttributes ?? []));
        foreach (var storage in profile.Storage)
        {
            var s = new Storage { Name = storage.Name ?? "default", Quantity = Value(storage.SizeBytes) };
            s.Attributes.AddRange(StorageAttributes(storage.Attributes));
            resources.Storage.Add(s);
        }

        resources.Gpu.Attributes.AddRange(GpuAttributes(profile.Gpu));
        resources.Endpoints.AddRange(Endpoints(service, endpointSequence));
        return resources;
    }

    /// <summary>
    /// One endpoint per global exposure: SHARED_HTTP when it is TCP on port 80 (the provider's ingress serves it),
    /// RANDOM_PORT otherwise, plus a LEASED_IP endpoint when it targets a v2.1 IP endpoint.
    /// </summary>
    public static IEnumerable<Endpoint> Endpoints(SdlService service, IReadOnlyDictionary<string, uint> endpointSequence)
    {
        foreach (var expose in service.Expose)
        {
            foreach (var to in expose.To.Where(t => t.Global))
            {
                var proto = Proto(expose.Proto);
                var effectivePort = (expose.As ?? 0) == 0 ? expose.Port : expose.As!.Value;
                var ingress = proto == "TCP" && effectivePort == 80;
                yield return new Endpoint { Kind = ingress ? Endpoint.Types.Kind.SharedHttp : Endpoint.Types.Kind.RandomPort, SequenceNumber = 0 };
                if (!string.IsNullOrEmpty(to.Ip))
                {
                    yield return new Endpoint { Kind = Endpoint.Types.Kind.LeasedIp, SequenceNumber = endpointSequence.GetValueOrDefault(to.Ip) };
                }
            }
        }
    }

    /// <summary>
    /// Leased-IP endpoint names to sequence numbers: all global IP exposures, sorted, numbered from 1. A name used
    /// twice keeps the number of its last occurrence, as the reference's reduce does.
    /// </summary>
    public static Dictionary<string, uint> EndpointSequenceNumbers(SdlDocument doc)
    {
        var names = doc.Services.SelectMany(s => s.Expose).SelectMany(e => e.To)
            .Where(t => t.Global && !string.IsNullOrEmpty(t.Ip)).Select(t => t.Ip!).ToList();
        names.Sort(StringComparer.Ordinal);
        var result = new Dictionary<string, uint>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            result[names[i]] = (uint)(i + 1);
        }

        return result;
    }

    /// <summary>Upper-case protocol, TCP by default.</summary>
    public static string Proto(string? proto) => string.IsNullOrEmpty(proto) ? "TCP" : proto.ToUpperInvariant();

    /// <summary>
    /// GPU attribute keys vendor/&lt;vendor&gt;/model/&lt;model&gt;[/ram/&lt;ram&gt;][/interface/&lt;iface&gt;] = "true";
    /// a vendor without a model list gives vendor/&lt;vendor&gt;/model/*. Vendors sorted, models in SDL order
    /// (the TypeScript reference keeps SDL order; the Go parser sorts them: see the renderer, which writes them sorted
    /// so both agree).
    /// </summary>
    public static IEnumerable<Attribute> GpuAttributes(SdlGpu? gpu)
    {
        if (gpu?.Vendors is not { } vendors)
        {
            yield break;
        }

        foreach (var vendor in vendors.OrderBy(v => v.Name, SdlCollation.Instance))
        {
            if (vendor.Models is null)
            {
                yield return new Attribute { Key = $"vendor/{vendor.Name}/model/*", Value = "true" };
                continue;
            }

            foreach (var model in vendor.Models)
            {
                var key = new StringBuilder($"vendor/{vendor.Name}/model/{model.Model}");
                if (!string.IsNullOrEmpty(model.Ram))
                {
                    key.Append("/ram/").Append(model.Ram);
                }

                if (!string.IsNullOrEmpty(model.Interface))
                {
                    key.Append("/interface/").Append(model.Interface);
                }

                yield return new Attribute { Key = key.ToString(), Value = "true" };
            }
        }
    }

    /// <summary>Attributes sorted by key (placement and CPU attributes).</summary>
    public static IEnumerable<Attribute> Sorted(IEnumerable<SdlAttribute> attributes) =>
        attributes.OrderBy(a => a.Key, SdlCollation.Instance).Select(a => new Attribute { Key = a.Key, Value = a.Value });

    // class: ram implies persistent=false when not said; then sorted by key.
    private static IEnumerable<Attribute> StorageAttributes(IReadOnlyList<SdlAttribute>? attributes)
    {
        if (attributes is null)
        {
            return [];
        }

        var list = attributes.ToList();
        if (list.Any(a => a.Key == "class" && a.Value == "ram") && !list.Any(a => a.Key == "persistent"))
        {
            list.Add(new SdlAttribute("persistent", "false"));
        }

        return Sorted(list);
    }

    private static ResourceValue Value(ulong value) =>
        new() { Val = ByteString.CopyFrom(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture))) };
}
