using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Flock.Akash.Sdl;

// Readers shared by every section: typed scalar/list/map reads that record a path-named error instead of throwing.
public static partial class SdlParser
{
    private sealed partial class Context
    {
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
}
