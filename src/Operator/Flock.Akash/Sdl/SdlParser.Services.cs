using YamlDotNet.RepresentationModel;

namespace Flock.Akash.Sdl;

// The services section: image, command/args/env, expose (to, http_options), params (storage mounts, permissions), credentials.
public static partial class SdlParser
{
    private static readonly string[] ServiceKeys = ["image", "command", "args", "env", "expose", "params", "credentials", "dependencies"];
    private static readonly string[] ExposeKeys = ["port", "as", "proto", "accept", "to", "http_options"];
    private static readonly string[] ToKeys = ["service", "global", "ip"];
    private static readonly string[] HttpKeys = ["max_body_size", "read_timeout", "send_timeout", "next_tries", "next_timeout", "next_cases"];

    private sealed partial class Context
    {
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
    }
}
