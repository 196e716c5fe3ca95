using System.Globalization;
using System.Text.RegularExpressions;
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
    private static readonly string[] ServiceKeys = ["image", "command", "args", "env", "expose", "params", "credentials", "dependencies"];
    private static readonly string[] ExposeKeys = ["port", "as", "proto", "accept", "to", "http_options"];
    private static readonly string[] ToKeys = ["service", "global", "ip"];
    private static readonly string[] HttpKeys = ["max_body_size", "read_timeout", "send_timeout", "next_tries", "next_timeout", "next_cases"];
    private static readonly string[] ResourceKeys = ["cpu", "memory", "storage", "gpu"];
    private static readonly string[] PlacementKeys = ["attributes", "signedBy", "pricing"];

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

    private sealed class Context
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

        private SdlService Service(string name, YamlNode node, string path)
        {
            if (node is not YamlMappingNode m)
            {
                Error(path, "must be a mapping");
                return new SdlService(name, "", null, null, null, [], null, null);
            }

            CheckKeys(m, path, ServiceKeys);
            var image = RequiredString(m, path, "image") ?? "";
            if (image.Length == 0 && !Errors.Any(e => e.Path == path + "/image"))
            {
                Error(path + "/image", "must not be empty");
            }

            var expose = new List<SdlExpose>();
            if (Child(m, "expose") is { } exposeNode)
            {
                if (exposeNode is YamlSequenceNode seq)
                {
                    var i = 0;
                    foreach (var item in seq)
                    {
                        expose.Add(Expose(item, $"{path}/expose/{i++}"));
                    }
                }
                else if (!IsNull(exposeNode))
                {
                    Error(path + "/expose", "must be a list");
                }
            }

            SdlServiceParams? parameters = null;
            if (Child(m, "params") is YamlMappingNode p)
            {
                parameters = Params(p, path + "/params");
            }

            SdlCredentials? credentials = null;
            if (Child(m, "credentials") is YamlMappingNode c)
            {
                CheckKeys(c, path + "/credentials", ["host", "email", "username", "password"]);
                credentials = new SdlCredentials(
                    RequiredString(c, path + "/credentials", "host") ?? "",
                    OptionalString(c, path + "/credentials", "email"),
                    RequiredString(c, path + "/credentials", "username") ?? "",
                    RequiredString(c, path + "/credentials", "password", quote: false) ?? "");
            }

            return new SdlService(
                name,
                image,
                StringList(m, path, "command"),
                StringList(m, path, "args"),
                StringList(m, path, "env", quote: false),
                expose,
                parameters,
                credentials);
        }

        private SdlExpose Expose(YamlNode node, string path)
        {
            if (node is not YamlMappingNode m)
            {
                Error(path, "must be a mapping");
                return new SdlExpose(0, null, null, null, [], null);
            }

            CheckKeys(m, path, ExposeKeys);
            var port = RequiredUInt(m, path, "port", min: 1, max: 65535) ?? 0;
            var @as = OptionalUInt(m, path, "as", min: 1, max: 65535);
            var proto = OptionalString(m, path, "proto");
            if (proto is not null && proto.ToUpperInvariant() is not ("TCP" or "UDP"))
            {
                Error(path + "/proto", "must be tcp or udp");
            }

            var to = new List<SdlExposeTo>();
            if (Child(m, "to") is YamlSequenceNode toSeq)
            {
                var i = 0;
                foreach (var item in toSeq)
                {
                    var tpath = $"{path}/to/{i++}";
                    if (item is not YamlMappingNode t)
                    {
                        Error(tpath, "must be a mapping");
                        continue;
                    }

                    CheckKeys(t, tpath, ToKeys);
                    to.Add(new SdlExposeTo(OptionalString(t, tpath, "service"), OptionalBool(t, tpath, "global") ?? false, OptionalString(t, tpath, "ip")));
                }
            }

            SdlHttpOptions? http = null;
            if (Child(m, "http_options") is YamlMappingNode h)
            {
                var hpath = path + "/http_options";
                CheckKeys(h, hpath, HttpKeys);
                http = new SdlHttpOptions(
                    OptionalUInt(h, hpath, "max_body_size", max: 104857600),
                    OptionalUInt(h, hpath, "read_timeout", max: 60000),
                    OptionalUInt(h, hpath, "send_timeout", max: 60000),
                    OptionalUInt(h, hpath, "next_tries"),
                    OptionalUInt(h, hpath, "next_timeout"),
                    StringList(h, hpath, "next_cases"));
            }

            return new SdlExpose(port, @as, proto, StringList(m, path, "accept"), to, http);
        }

        private SdlServiceParams Params(YamlMappingNode m, string path)
        {
            CheckKeys(m, path, ["storage", "permissions"]);
            var storage = new List<SdlStorageParams>();
            foreach (var (name, node) in Map(m, path, "storage", required: false))
            {
                var spath = $"{path}/storage/{name}";
                if (node is not YamlMappingNode s)
                {
                    Error(spath, "must be a mapping with mount and readOnly");
                    continue;
                }

                CheckKeys(s, spath, ["mount", "readOnly"]);
                var mount = OptionalString(s, spath, "mount");
                if (mount is not null && !mount.StartsWith('/'))
                {
                    Error(spath + "/mount", "must be an absolute path");
                }

                storage.Add(new SdlStorageParams(name, mount, OptionalBool(s, spath, "readOnly") ?? false));
            }

            IReadOnlyList<string>? read = null;
            if (Child(m, "permissions") is YamlMappingNode perms)
            {
                read = StringList(perms, path + "/permissions", "read") ?? [];
            }

            return new SdlServiceParams(storage, read);
        }

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

        private SdlPlacement Placement(string name, YamlNode node, string path)
        {
            if (node is not YamlMappingNode m)
            {
                Error(path, "must be a mapping");
                return new SdlPlacement(name, null, null, null, []);
            }

            CheckKeys(m, path, PlacementKeys);
            IReadOnlyList<string>? allOf = null;
            IReadOnlyList<string>? anyOf = null;
            if (Child(m, "signedBy") is YamlMappingNode sb)
            {
                CheckKeys(sb, path + "/signedBy", ["allOf", "anyOf"]);
                allOf = StringList(sb, path + "/signedBy", "allOf");
                anyOf = StringList(sb, path + "/signedBy", "anyOf");
            }

            var pricing = new List<SdlPrice>();
            foreach (var (profile, priceNode) in Map(m, path, "pricing", required: true))
            {
                var ppath = $"{path}/pricing/{profile}";
                if (priceNode is not YamlMappingNode pm)
                {
                    Error(ppath, "must be {denom, amount}");
                    continue;
                }

                CheckKeys(pm, ppath, ["denom", "amount"]);
                var denom = RequiredString(pm, ppath, "denom") ?? "";
                if (!DenomPattern().IsMatch(denom))
                {
                    Error(ppath + "/denom", "must be uakt, uact or an ibc/ denom");
                }

                string amount = "";
                switch (Child(pm, "amount"))
                {
                    case YamlScalarNode s when YamlScalar.Resolve(s) is double d && d >= 0:
                        amount = JsNumber.ToString(d);
                        break;
                    case YamlScalarNode s when YamlScalar.Resolve(s) is string text && AmountPattern().IsMatch(text):
                        amount = text;
                        break;
                    default:
                        Error(ppath + "/amount", "is required: a non-negative decimal number");
                        break;
                }

                // The group spec carries the amount as a LegacyDec: at most 18 decimals and no exponent form
                // (JavaScript writes numbers from 1e21 up, or below 1e-6, as 1e+21 / 1e-7).
                if (amount.Length > 0 && !IsLegacyDec(amount))
                {
                    Error(ppath + "/amount", $"{amount} is not a decimal the chain can carry (at most 18 decimal places, no exponent): write it as a quoted decimal");
                }

                pricing.Add(new SdlPrice(profile, denom, amount));
            }

            return new SdlPlacement(name, Attributes(m, path), allOf, anyOf, pricing);
        }

        private List<SdlAttribute>? Attributes(YamlMappingNode parent, string path)
        {
            var node = Child(parent, "attributes");
            if (node is null || IsNull(node))
            {
                return null;
            }

            if (node is not YamlMappingNode m)
            {
                Error(path + "/attributes", "must be a mapping of key to value");
                return null;
            }

            var list = new List<SdlAttribute>();
            foreach (var (key, value) in Entries(m, path + "/attributes"))
            {
                if (value is YamlScalarNode s)
                {
                    list.Add(new SdlAttribute(key, YamlScalar.AsJsString(s)));
                }
                else
                {
                    Error($"{path}/attributes/{key}", "must be a scalar");
                }
            }

            return list;
        }

        private ulong Size(YamlMappingNode m, string path)
        {
            if (Child(m, "size") is YamlScalarNode s && YamlScalar.Resolve(s) is string text)
            {
                return Try(path + "/size", () => SdlQuantity.Bytes(text));
            }

            Error(path + "/size", "is required: a size with a unit such as 24Gi");
            return 0;
        }

        private ulong Try(string path, Func<ulong> parse)
        {
            try
            {
                return parse();
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                Error(path, e.Message);
                return 0;
            }
        }

        private IEnumerable<(string Key, YamlNode Value)> Map(YamlMappingNode parent, string path, string key, bool required)
        {
            var node = Child(parent, key);
            if (node is YamlMappingNode m)
            {
                return Entries(m, path + "/" + key);
            }

            if (node is null || IsNull(node))
            {
                if (required)
                {
                    Error(path + "/" + key, "is required");
                }

                return [];
            }

            Error(path + "/" + key, "must be a mapping");
            return [];
        }

        private List<(string Key, YamlNode Value)> Entries(YamlMappingNode m, string path)
        {
            var list = new List<(string, YamlNode)>();
            foreach (var (k, v) in m.Children)
            {
                if (k is YamlScalarNode { Value: { Length: > 0 } name })
                {
                    list.Add((name, v));
                }
                else
                {
                    Error(path, "keys must be non-empty strings");
                }
            }

            return list;
        }

        private void CheckKeys(YamlMappingNode m, string path, string[] allowed)
        {
            foreach (var key in m.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!allowed.Contains(name, StringComparer.Ordinal))
                {
                    Error(path + "/" + name, "unknown field");
                }
            }
        }

        private string? RequiredString(YamlMappingNode m, string path, string key, bool quote = true)
        {
            var value = OptionalString(m, path, key, quote);
            if (value is null && !Errors.Any(e => e.Path == path + "/" + key))
            {
                Error(path + "/" + key, "is required");
            }

            return value;
        }

        private string? OptionalString(YamlMappingNode m, string path, string key, bool quote = true)
        {
            var node = Child(m, key);
            if (node is null || IsNull(node))
            {
                return null;
            }

            if (node is YamlScalarNode s)
            {
                return YamlScalar.Resolve(s) is string text ? text : YamlScalar.AsJsString(s);
            }

            Error(path + "/" + key, quote ? "must be a string" : "must be a string (value not shown)");
            return null;
        }

        private bool? OptionalBool(YamlMappingNode m, string path, string key)
        {
            var node = Child(m, key);
            if (node is null || IsNull(node))
            {
                return null;
            }

            if (node is YamlScalarNode s && YamlScalar.Resolve(s) is bool b)
            {
                return b;
            }

            Error(path + "/" + key, "must be true or false");
            return null;
        }

        private uint? RequiredUInt(YamlMappingNode m, string path, string key, uint min = 0, uint max = uint.MaxValue)
        {
            var value = OptionalUInt(m, path, key, min, max);
            if (value is null && !Errors.Any(e => e.Path == path + "/" + key))
            {
                Error(path + "/" + key, "is required");
            }

            return value;
        }

        private uint? OptionalUInt(YamlMappingNode m, string path, string key, uint min = 0, uint max = uint.MaxValue)
        {
            var node = Child(m, key);
            if (node is null || IsNull(node))
            {
                return null;
            }

            if (node is YamlScalarNode s && YamlScalar.Resolve(s) is double d && Math.Floor(d) == d && d >= min && d <= max)
            {
                return (uint)d;
            }

            Error(path + "/" + key, $"must be a whole number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        private List<string>? StringList(YamlMappingNode m, string path, string key, bool quote = true)
        {
            var node = Child(m, key);
            if (node is null || IsNull(node))
            {
                return null;
            }

            if (node is not YamlSequenceNode seq)
            {
                Error(path + "/" + key, "must be a list of strings");
                return null;
            }

            var list = new List<string>();
            var i = 0;
            foreach (var item in seq)
            {
                if (item is YamlScalarNode s)
                {
                    list.Add(YamlScalar.Resolve(s) is string text ? text : YamlScalar.AsJsString(s));
                }
                else
                {
                    Error($"{path}/{key}/{i}", quote ? "must be a string" : "must be a string (value not shown)");
                }

                i++;
            }

            return list;
        }

        private static YamlNode? Child(YamlMappingNode m, string key) =>
            m.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        private static bool IsNull(YamlNode node) => node is YamlScalarNode s && YamlScalar.Resolve(s) is null;
    }

    private static bool IsLegacyDec(string amount)
    {
        try
        {
            _ = Chain.LegacyDec.ToWire(amount);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^(uakt|uact|ibc/.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DenomPattern();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();
}
