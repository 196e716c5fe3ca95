using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>
/// What server-side apply needs to know about a type: list types and keys, map types, which object keys are
/// struct fields, the top-level fields the endpoint resets (".status" on the main resource of a kind with a
/// status subresource), and the zero object ownership of a create is computed against.
/// </summary>
public sealed class ApplySchema
{
    public ApplySchema(SchemaNode root, IEnumerable<string>? resetFields = null, JsonObject? zeroObject = null)
    {
        Root = root ?? throw new ArgumentNullException(nameof(root));
        ResetFields = (resetFields ?? []).ToArray();
        ZeroObject = zeroObject ?? new JsonObject();
    }

    public SchemaNode Root { get; }

    /// <summary>
    /// Top-level fields this endpoint neither owns nor changes ("status" for the main resource of a kind with a
    /// status subresource; "spec"/"metadata" style sets for a status subresource are the caller's to give).
    /// Apply and RecordUpdate leave them out of every field set; Apply also keeps the live values of them.
    /// </summary>
    public IReadOnlyList<string> ResetFields { get; }

    /// <summary>The object a create is compared against when recording Update ownership (the Go zero value).</summary>
    public JsonObject ZeroObject { get; }

    /// <summary>A copy with different reset fields (e.g. for a /status subresource: "spec").</summary>
    public ApplySchema WithResetFields(params string[] topLevelFields) => new(Root, topLevelFields, ZeroObject);

    /// <summary>
    /// The schema of a built-in kind from the same table as <see cref="BuiltinPatchMeta"/>: merge-key lists are
    /// listType=map with the keys of their +listMapKey markers, merged scalar lists are sets, other lists atomic,
    /// +mapType/+structType=atomic honoured. Kinds with a status subresource reset "status".
    /// Unknown built-in kinds get ObjectMeta plus loose fields; other group-versions get ObjectMeta plus
    /// structured-merge-diff's deduced type.
    /// </summary>
    public static ApplySchema Builtin(string apiVersion, string kind)
    {
        var entry = BuiltinTypes.Find(apiVersion, kind);
        if (entry is not null)
        {
            return new ApplySchema(entry.Root, entry.HasStatusSubresource ? ["status"] : [], (JsonObject)JsonNode.Parse(entry.ZeroJson)!);
        }

        if (BuiltinTypes.IsBuiltinGroupVersion(apiVersion))
        {
            return new ApplySchema(BuiltinTypes.Generic, [], new JsonObject { ["metadata"] = new JsonObject { ["creationTimestamp"] = null } });
        }

        return new ApplySchema(CustomRoot());
    }

    private static SchemaNode CustomRoot() => new()
    {
        Kind = SchemaKind.Object,
        Fields = new Dictionary<string, SchemaNode>(StringComparer.Ordinal)
        {
            ["apiVersion"] = SchemaNode.Scalar,
            ["kind"] = SchemaNode.Scalar,
            ["metadata"] = BuiltinTypes.ObjectMeta,
        },
        UnknownKeysAreFields = false,
    };

    /// <summary>
    /// The schema of a custom resource from its CRD version's <c>schema.openAPIV3Schema</c> (as a JSON object),
    /// reading type/properties/items/additionalProperties and x-kubernetes-list-type, x-kubernetes-list-map-keys,
    /// x-kubernetes-map-type, x-kubernetes-preserve-unknown-fields, x-kubernetes-embedded-resource and
    /// x-kubernetes-int-or-string. metadata is always ObjectMeta. With <paramref name="statusSubresource"/>,
    /// "status" is reset on the main resource.
    /// </summary>
    public static ApplySchema FromOpenApi(JsonObject openApiV3Schema, bool statusSubresource = false)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var root = Convert(openApiV3Schema);
        root = root.Kind == SchemaKind.Object ? root : SchemaNode.Deduced;
        root = new SchemaNode
        {
            Kind = SchemaKind.Object,
            Fields = new Dictionary<string, SchemaNode>(root.Fields, StringComparer.Ordinal)
            {
                ["apiVersion"] = SchemaNode.Scalar,
                ["kind"] = SchemaNode.Scalar,
                ["metadata"] = BuiltinTypes.ObjectMeta,
            },
            Values = root.Values,
            UnknownKeysAreFields = false,
        };
        return new ApplySchema(root, statusSubresource ? ["status"] : []);
    }

    private static SchemaNode Convert(JsonObject s)
    {
        var type = String(s, "type");
        if (Bool(s, "x-kubernetes-int-or-string") || type is "string" or "integer" or "number" or "boolean")
        {
            return SchemaNode.Scalar;
        }

        if (type == "array")
        {
            var items = s["items"] is JsonObject itemSchema ? Convert(itemSchema) : SchemaNode.Deduced;
            var listType = String(s, "x-kubernetes-list-type") switch
            {
                "set" => ListKind.Set,
                "map" => ListKind.Map,
                _ => ListKind.Atomic,
            };
            var keys = s["x-kubernetes-list-map-keys"] is JsonArray k
                ? k.Select(n => n?.GetValue<string>()).Where(n => n is not null).Select(n => n!).ToArray()
                : [];
            var defaults = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
            if (s["items"] is JsonObject io && io["properties"] is JsonObject props)
            {
                foreach (var key in keys)
                {
                    if (props[key] is JsonObject p && p["default"] is JsonNode d)
                    {
                        defaults[key] = d.DeepClone();
                    }
                }
            }

            return new SchemaNode { Kind = SchemaKind.List, ListType = listType, Keys = keys, KeyDefaults = defaults, Items = items };
        }

        var properties = s["properties"] as JsonObject;
        var additional = s["additionalProperties"];
        if (type == "object" || properties is not null || additional is not null)
        {
            var fields = new Dictionary<string, SchemaNode>(StringComparer.Ordinal);
            if (properties is not null)
            {
                foreach (var (name, value) in properties)
                {
                    fields[name] = value is JsonObject ps ? Convert(ps) : SchemaNode.Deduced;
                }
            }

            if (Bool(s, "x-kubernetes-embedded-resource"))
            {
                fields.TryAdd("apiVersion", SchemaNode.Scalar);
                fields.TryAdd("kind", SchemaNode.Scalar);
                fields["metadata"] = BuiltinTypes.ObjectMeta;
            }

            SchemaNode? values = additional switch
            {
                JsonObject a => Convert(a),
                JsonValue v when v.TryGetValue<bool>(out var b) && b => SchemaNode.Deduced,
                _ => null,
            };
            return new SchemaNode
            {
                Kind = SchemaKind.Object,
                Fields = fields,
                Values = values,
                Atomic = String(s, "x-kubernetes-map-type") == "atomic",
                UnknownKeysAreFields = false,
            };
        }

        return SchemaNode.Deduced;
    }

    private static string? String(JsonObject s, string name) =>
        s[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static bool Bool(JsonObject s, string name) =>
        s[name] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
