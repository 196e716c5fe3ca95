using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Sandbox.ApiServer.Http;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + runtime.Unknown) for the few built-in kinds
/// kubectl's typed clients send as protobuf (SelfSubjectAccessReview for <c>auth can-i</c>; Namespace,
/// Secret, ConfigMap, ServiceAccount and the four RBAC kinds for <c>kubectl create</c>). Other kinds get 415, as from an
/// apiserver without that serializer.
/// </summary>
internal static class ProtobufBodies
{
    private enum K
    {
        String,
        Int,
        Bool,
        Bytes,
        Message,
        StringMap,
        BytesMap,
        RepeatedString,
        RepeatedMessage,
        Time,
    }

    private sealed record F(string Name, K Kind, Dictionary<int, F>? Schema = null);

    private static readonly Dictionary<int, F> OwnerReference = new()
    {
        [1] = new("kind", K.String), [3] = new("name", K.String), [4] = new("uid", K.String), [5] = new("apiVersion", K.String),
        [6] = new("controller", K.Bool), [7] = new("blockOwnerDeletion", K.Bool),
    };

    private static readonly Dictionary<int, F> ObjectMeta = new()
    {
        [1] = new("name", K.String), [2] = new("generateName", K.String), [3] = new("namespace", K.String), [5] = new("uid", K.String),
        [6] = new("resourceVersion", K.String), [7] = new("generation", K.Int), [11] = new("labels", K.StringMap),
        [12] = new("annotations", K.StringMap), [13] = new("ownerReferences", K.RepeatedMessage, OwnerReference),
        [14] = new("finalizers", K.RepeatedString),
    };

    private static readonly Dictionary<int, F> ResourceAttributes = new()
    {
        [1] = new("namespace", K.String), [2] = new("verb", K.String), [3] = new("group", K.String), [4] = new("version", K.String),
        [5] = new("resource", K.String), [6] = new("subresource", K.String), [7] = new("name", K.String),
    };

    private static readonly Dictionary<int, F> NonResourceAttributes = new() { [1] = new("path", K.String), [2] = new("verb", K.String) };

    private static readonly Dictionary<int, F> PolicyRule = new()
    {
        [1] = new("verbs", K.RepeatedString), [2] = new("apiGroups", K.RepeatedString), [3] = new("resources", K.RepeatedString),
        [4] = new("resourceNames", K.RepeatedString), [5] = new("nonResourceURLs", K.RepeatedString),
    };

    private static readonly Dictionary<int, F> Subject = new()
    {
        [1] = new("kind", K.String), [2] = new("apiGroup", K.String), [3] = new("name", K.String), [4] = new("namespace", K.String),
    };

    private static readonly Dictionary<int, F> RoleRef = new() { [1] = new("apiGroup", K.String), [2] = new("kind", K.String), [3] = new("name", K.String) };

    private static readonly Dictionary<int, F> Binding = new()
    {
        [1] = new("metadata", K.Message, ObjectMeta), [2] = new("subjects", K.RepeatedMessage, Subject), [3] = new("roleRef", K.Message, RoleRef),
    };

    private static readonly Dictionary<string, Dictionary<int, F>> Kinds = new(StringComparer.Ordinal)
    {
        ["DeleteOptions"] = new()
        {
            [1] = new("gracePeriodSeconds", K.Int),
            [2] = new("preconditions", K.Message, new() { [1] = new("uid", K.String), [2] = new("resourceVersion", K.String) }),
            [3] = new("orphanDependents", K.Bool), [4] = new("propagationPolicy", K.String), [5] = new("dryRun", K.RepeatedString),
        },
        ["Role"] = new() { [1] = new("metadata", K.Message, ObjectMeta), [2] = new("rules", K.RepeatedMessage, PolicyRule) },
        ["ClusterRole"] = new() { [1] = new("metadata", K.Message, ObjectMeta), [2] = new("rules", K.RepeatedMessage, PolicyRule) },
        ["RoleBinding"] = Binding,
        ["ClusterRoleBinding"] = Binding,
        ["SelfSubjectAccessReview"] = new()
        {
            [1] = new("metadata", K.Message, ObjectMeta),
            [2] = new("spec", K.Message, new()
            {
                [1] = new("resourceAttributes", K.Message, ResourceAttributes),
                [2] = new("nonResourceAttributes", K.Message, NonResourceAttributes),
            }),
        },
        ["Namespace"] = new() { [1] = new("metadata", K.Message, ObjectMeta) },
        ["ServiceAccount"] = new() { [1] = new("metadata", K.Message, ObjectMeta), [4] = new("automountServiceAccountToken", K.Bool) },
        ["Secret"] = new()
        {
            [1] = new("metadata", K.Message, ObjectMeta), [2] = new("data", K.BytesMap), [3] = new("type", K.String),
            [4] = new("stringData", K.StringMap), [5] = new("immutable", K.Bool),
        },
        ["ConfigMap"] = new()
        {
            [1] = new("metadata", K.Message, ObjectMeta), [2] = new("data", K.StringMap), [3] = new("binaryData", K.BytesMap),
            [4] = new("immutable", K.Bool),
        },
    };

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0)
        {
            throw Errors.BadRequest("provided protobuf object is not a Kubernetes envelope");
        }

        var envelope = Read(body.AsSpan(4).ToArray(), new Dictionary<int, F>
        {
            [1] = new("typeMeta", K.Message, new() { [1] = new("apiVersion", K.String), [2] = new("kind", K.String) }),
            [2] = new("raw", K.Bytes),
        }, rawBytes: true);
        var apiVersion = Json.Path(envelope, "typeMeta", "apiVersion") ?? "";
        var kind = Json.Path(envelope, "typeMeta", "kind") ?? "";
        if (!Kinds.TryGetValue(kind, out var schema) || envelope["raw"] is not JsonValue raw)
        {
            throw Errors.UnsupportedMediaType("application/vnd.kubernetes.protobuf", ["application/json", "application/yaml"]);
        }

        var obj = Read(Convert.FromBase64String(raw.GetValue<string>()), schema);
        var result = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (k, v) in obj.ToList())
        {
            obj.Remove(k);
            result[k] = v;
        }

        return result;
    }

    private static JsonObject Read(byte[] data, Dictionary<int, F> schema, bool rawBytes = false)
    {
        var obj = new JsonObject();
        var pos = 0;
        while (pos < data.Length)
        {
            var tag = (long)Varint(data, ref pos);
            var field = (int)(tag >> 3);
            var wire = (int)(tag & 7);
            byte[]? bytes = null;
            ulong number = 0;
            switch (wire)
            {
                case 0: number = Varint(data, ref pos); break;
                case 2:
                    var len = (int)Varint(data, ref pos);
                    bytes = data.AsSpan(pos, len).ToArray();
                    pos += len;
                    break;
                case 1: pos += 8; continue;
                case 5: pos += 4; continue;
                default: throw Errors.BadRequest("malformed protobuf body");
            }

            if (!schema.TryGetValue(field, out var f)) continue;
            switch (f.Kind)
            {
                case K.String: obj[f.Name] = Encoding.UTF8.GetString(bytes ?? []); break;
                case K.Bytes: obj[f.Name] = Convert.ToBase64String(bytes ?? []); break;
                case K.Int: obj[f.Name] = (long)number; break;
                case K.Bool: obj[f.Name] = number != 0; break;
                case K.Message: obj[f.Name] = Read(bytes ?? [], f.Schema!); break;
                case K.RepeatedMessage:
                    if (obj[f.Name] is not JsonArray list) obj[f.Name] = list = [];
                    list.Add(Read(bytes ?? [], f.Schema!));
                    break;
                case K.RepeatedString:
                    if (obj[f.Name] is not JsonArray strings) obj[f.Name] = strings = [];
                    strings.Add(Encoding.UTF8.GetString(bytes ?? []));
                    break;
                case K.StringMap or K.BytesMap:
                    var entry = Read(bytes ?? [], new() { [1] = new("k", K.String), [2] = new("v", f.Kind == K.StringMap ? K.String : K.Bytes) });
                    if (obj[f.Name] is not JsonObject map) obj[f.Name] = map = new JsonObject();
                    map[Json.Str(entry, "k") ?? ""] = entry["v"]?.DeepClone() ?? "";
                    break;
            }
        }

        _ = rawBytes;
        return obj;
    }

    private static ulong Varint(byte[] data, ref int pos)
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (pos >= data.Length) throw Errors.BadRequest("truncated protobuf body");
            var b = data[pos++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return result;
        }

        throw Errors.BadRequest("malformed protobuf varint");
    }
}
