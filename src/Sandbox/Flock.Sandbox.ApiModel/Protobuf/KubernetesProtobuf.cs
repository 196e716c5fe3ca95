using System.Text.Json.Nodes;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// Just enough of the apiserver's protobuf encoding (<c>application/vnd.kubernetes.protobuf</c>) to
/// read what kubectl sends that way: typed clients (<c>kubectl auth can-i</c>, <c>kubectl create
/// secret|configmap|namespace</c>…) POST protobuf bodies, and expect the server to decode them.
/// The envelope is the 4-byte magic <c>k8s\0</c> and a runtime.Unknown {typeMeta, raw}.
/// Responses can be JSON: those clients also accept application/json.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = [0x6b, 0x38, 0x73, 0x00];

    /// <summary>True for a Content-Type of application/vnd.kubernetes.protobuf (with or without parameters).</summary>
    public static bool IsProtobuf(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens the envelope: apiVersion, kind and the raw message bytes. Throws <see cref="FormatException"/> on a bad envelope.</summary>
    public static (string ApiVersion, string Kind, byte[] Raw) ReadEnvelope(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new FormatException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }

        var wire = new ProtobufWire(body[Magic.Length..]);
        string apiVersion = "", kind = "";
        byte[] raw = [];
        while (wire.Next(out var field, out var type))
        {
            switch (field)
            {
                case 1 when type == 2:
                    var typeMeta = new ProtobufWire(wire.ReadBytes());
                    while (typeMeta.Next(out var f, out var t))
                    {
                        if (f == 1 && t == 2)
                        {
                            apiVersion = typeMeta.ReadString();
                        }
                        else if (f == 2 && t == 2)
                        {
                            kind = typeMeta.ReadString();
                        }
                        else
                        {
                            typeMeta.Skip(t);
                        }
                    }

                    break;
                case 2 when type == 2:
                    raw = wire.ReadBytes().ToArray();
                    break;
                default:
                    wire.Skip(type);
                    break;
            }
        }

        return (apiVersion, kind, raw);
    }

    /// <summary>
    /// Decodes an authorization.k8s.io/v1 SelfSubjectAccessReview body (envelope included) into its
    /// JSON form, ready for <see cref="SelfSubjectAccessReviews.Evaluate"/>. Metadata is not decoded.
    /// </summary>
    public static JsonObject DecodeSelfSubjectAccessReview(ReadOnlySpan<byte> body)
    {
        var (apiVersion, kind, raw) = ReadEnvelope(body);
        var spec = new JsonObject();
        var review = new ProtobufWire(raw);
        while (review.Next(out var field, out var type))
        {
            if (field != 2 || type != 2)
            {
                review.Skip(type);
                continue;
            }

            var specWire = new ProtobufWire(review.ReadBytes());
            while (specWire.Next(out var f, out var t))
            {
                if (f == 1 && t == 2)
                {
                    spec["resourceAttributes"] = Strings(specWire.ReadBytes(),
                        ["namespace", "verb", "group", "version", "resource", "subresource", "name"]);
                }
                else if (f == 2 && t == 2)
                {
                    spec["nonResourceAttributes"] = Strings(specWire.ReadBytes(), ["path", "verb"]);
                }
                else
                {
                    specWire.Skip(t);
                }
            }
        }

        return new JsonObject
        {
            ["kind"] = kind.Length > 0 ? kind : "SelfSubjectAccessReview",
            ["apiVersion"] = apiVersion.Length > 0 ? apiVersion : "authorization.k8s.io/v1",
            ["metadata"] = new JsonObject(),
            ["spec"] = spec,
        };
    }

    /// <summary>A message whose fields 1..n are the given string fields.</summary>
    private static JsonObject Strings(ReadOnlySpan<byte> message, string[] names)
    {
        var result = new JsonObject();
        var wire = new ProtobufWire(message);
        while (wire.Next(out var field, out var type))
        {
            if (type == 2 && field >= 1 && field <= names.Length)
            {
                result[names[field - 1]] = wire.ReadString();
            }
            else
            {
                wire.Skip(type);
            }
        }

        return result;
    }
}
