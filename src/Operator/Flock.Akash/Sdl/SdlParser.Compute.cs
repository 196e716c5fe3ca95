using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Flock.Akash.Sdl;

// profiles.compute: cpu, memory, storage (one or a list) and gpu (units, vendor/model attributes).
public static partial class SdlParser
{
    private static readonly string[] ResourceKeys = ["cpu", "memory", "storage", "gpu"];

    private sealed partial class Context
    {
        private SdlComputeProfile Compute(string name, YamlNode node, string path)
        {
            var empty = new SdlComputeProfile(name, 0, null, 0, [], null);
            if (node is not YamlMappingNode m || Child(m, "resources") is not YamlMappingNode r)
            {
                Error(path, "must be a mapping with resources");
                return empty;
            }

            var rpath = path + "/resources";
            CheckKeys(r, rpath, ResourceKeys);
            ulong cpu = 0;
            IReadOnlyList<SdlAttribute>? cpuAttributes = null;
            if (Child(r, "cpu") is YamlMappingNode cpuNode)
            {
                CheckKeys(cpuNode, rpath + "/cpu", ["units", "attributes"]);
                switch (Child(cpuNode, "units"))
                {
                    case YamlScalarNode s when YamlScalar.Resolve(s) is double d:
                        cpu = Try(rpath + "/cpu/units", () => SdlQuantity.CpuMillisFromNumber(d));
                        break;
                    case YamlScalarNode s when YamlScalar.Resolve(s) is string text:
                        cpu = Try(rpath + "/cpu/units", () => SdlQuantity.CpuMillisFromString(text));
                        break;
                    default:
                        Error(rpath + "/cpu/units", "is required: a number of cores or a string such as \"500m\"");
                        break;
                }

                if (cpu == 0 && !Errors.Any(e => e.Path.StartsWith(rpath + "/cpu", StringComparison.Ordinal)))
                {
                    Error(rpath + "/cpu/units", "must be greater than zero");
                }

                cpuAttributes = Attributes(cpuNode, rpath + "/cpu");
            }
            else
            {
                Error(rpath + "/cpu", "is required");
            }

            ulong memory = 0;
            if (Child(r, "memory") is YamlMappingNode memNode)
            {
                CheckKeys(memNode, rpath + "/memory", ["size"]);
                memory = Size(memNode, rpath + "/memory");
            }
            else
            {
                Error(rpath + "/memory", "is required");
            }

            var storage = new List<SdlStorage>();
            switch (Child(r, "storage"))
            {
                case YamlMappingNode one:
                    storage.Add(Storage(one, rpath + "/storage"));
                    break;
                case YamlSequenceNode many:
                    var i = 0;
                    foreach (var item in many)
                    {
                        if (item is YamlMappingNode sm)
                        {
                            storage.Add(Storage(sm, $"{rpath}/storage/{i}"));
                        }
                        else
                        {
                            Error($"{rpath}/storage/{i}", "must be a mapping");
                        }

                        i++;
                    }

                    break;
                default:
                    Error(rpath + "/storage", "is required");
                    break;
            }

            SdlGpu? gpu = null;
            if (Child(r, "gpu") is YamlMappingNode g)
            {
                gpu = Gpu(g, rpath + "/gpu");
            }

            return new SdlComputeProfile(name, cpu, cpuAttributes, memory, storage, gpu);
        }

        private SdlStorage Storage(YamlMappingNode m, string path)
        {
            CheckKeys(m, path, ["name", "size", "attributes"]);
            return new SdlStorage(OptionalString(m, path, "name"), Size(m, path), Attributes(m, path));
        }

        private SdlGpu Gpu(YamlMappingNode m, string path)
        {
            CheckKeys(m, path, ["units", "attributes"]);
            ulong units = 0;
            if (Child(m, "units") is YamlScalarNode u)
            {
                var value = YamlScalar.Resolve(u);
                if (value is double d && d >= 0 && Math.Floor(d) == d)
                {
                    units = (ulong)d;
                }
                else if (value is string s && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    units = parsed;
                }
                else
                {
                    Error(path + "/units", "must be a whole number");
                }
            }

            IReadOnlyList<SdlGpuVendor>? vendors = null;
            if (Child(m, "attributes") is { } attrsNode)
            {
                var vendorList = new List<SdlGpuVendor>();
                if (attrsNode is YamlMappingNode attrs && Child(attrs, "vendor") is YamlMappingNode vendorMap)
                {
                    CheckKeys(attrs, path + "/attributes", ["vendor"]);
                    foreach (var (vendor, modelsNode) in Entries(vendorMap, path + "/attributes/vendor"))
                    {
                        var vpath = $"{path}/attributes/vendor/{vendor}";
                        if (vendor is not ("nvidia" or "amd"))
                        {
                            Error(vpath, "unknown GPU vendor (nvidia or amd)");
                        }

                        if (IsNull(modelsNode))
                        {
                            vendorList.Add(new SdlGpuVendor(vendor, null));
                            continue;
                        }

                        if (modelsNode is not YamlSequenceNode models)
                        {
                            Error(vpath, "must be a list of {model, ram, interface} or empty");
                            continue;
                        }

                        var list = new List<SdlGpuModel>();
                        var i = 0;
                        foreach (var item in models)
                        {
                            var mpath = $"{vpath}/{i++}";
                            if (item is not YamlMappingNode mm)
                            {
                                Error(mpath, "must be a mapping with model");
                                continue;
                            }

                            CheckKeys(mm, mpath, ["model", "ram", "interface"]);
                            var iface = OptionalString(mm, mpath, "interface");
                            if (iface is not null && iface is not ("pcie" or "sxm"))
                            {
                                Error(mpath + "/interface", "must be pcie or sxm");
                            }

                            list.Add(new SdlGpuModel(RequiredString(mm, mpath, "model") ?? "", OptionalString(mm, mpath, "ram"), iface));
                        }

                        vendorList.Add(new SdlGpuVendor(vendor, list));
                    }
                }

                vendors = vendorList;
            }

            return new SdlGpu(units, vendors);
        }
    }
}
