using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>Kinds of path element, in structured-merge-diff's sort order.</summary>
public enum PathElementKind
{
    /// <summary>A struct field or map key: <c>f:name</c>.</summary>
    Field,

    /// <summary>An item of a map-type list: <c>k:{"name":"x"}</c>.</summary>
    Key,

    /// <summary>An item of a set-type list: <c>v:"x"</c>.</summary>
    Value,

    /// <summary>An item of a list by position: <c>i:0</c>.</summary>
    Index,
}

/// <summary>One step of a field path (sigs.k8s.io/structured-merge-diff fieldpath.PathElement).</summary>
public sealed class PathElement : IEquatable<PathElement>, IComparable<PathElement>
{
    private PathElement(PathElementKind kind, string? field, IReadOnlyList<KeyValuePair<string, JsonNode?>>? key, JsonNode? value, int index)
    {
        Kind = kind;
        FieldName = field;
        KeyFields = key ?? [];
        Value = value;
        Index = index;
        Serialized = Serialize();
    }

    public PathElementKind Kind { get; }

    public string? FieldName { get; }

    /// <summary>Key fields of a <see cref="PathElementKind.Key"/> element, sorted by name.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> KeyFields { get; }

    public JsonNode? Value { get; }

    public int Index { get; }

    /// <summary>The FieldsV1 spelling: f:, k:, v: or i: prefix.</summary>
    public string Serialized { get; }

    public static PathElement Field(string name) => new(PathElementKind.Field, name, null, null, -1);

    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> fields) =>
        new(PathElementKind.Key, null, fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new KeyValuePair<string, JsonNode?>(f.Key, f.Value?.DeepClone())).ToList(), null, -1);

    public static PathElement ValueOf(JsonNode? value) => new(PathElementKind.Value, null, null, value?.DeepClone(), -1);

    public static PathElement At(int index) => new(PathElementKind.Index, null, null, null, index);

    /// <summary>Parses the FieldsV1 spelling of an element.</summary>
    public static PathElement Parse(string text)
    {
        if (text.Length < 2 || text[1] != ':')
        {
            throw new PatchException($"unknown path element {text}", 500);
        }

        var body = text[2..];
        switch (text[0])
        {
            case 'f':
                return Field(body);
            case 'k':
                var obj = JsonNode.Parse(body) as JsonObject ?? throw new PatchException($"invalid key path element {text}", 500);
                return Key(obj.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)));
            case 'v':
                return ValueOf(JsonNode.Parse(body));
            case 'i':
                return At(int.Parse(body, System.Globalization.CultureInfo.InvariantCulture));
            default:
                throw new PatchException($"unknown path element {text}", 500);
        }
    }

    private string Serialize() => Kind switch
    {
        PathElementKind.Field => "f:" + FieldName,
        PathElementKind.Key => "k:" + KeyJson(),
        PathElementKind.Value => "v:" + JsonValues.ToJson(Value),
        _ => "i:" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private string KeyJson()
    {
        var sb = new StringBuilder("{");
        for (var i = 0; i < KeyFields.Count; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(JsonValues.ToJson(JsonValue.Create(KeyFields[i].Key)));
            sb.Append(':');
            sb.Append(JsonValues.ToJson(KeyFields[i].Value));
        }

        return sb.Append('}').ToString();
    }

    /// <summary>The spelling in a conflict message (fieldpath.Path.String()).</summary>
    public string ToPathString() => Kind switch
    {
        PathElementKind.Field => "." + FieldName,
        PathElementKind.Key => "[" + string.Join(",", KeyFields.Select(f => f.Key + "=" + GoValueString(f.Value))) + "]",
        PathElementKind.Value => "[=" + GoValueString(Value) + "]",
        _ => "[" + Index.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]",
    };

    /// <summary>value.ToString in structured-merge-diff: strings quoted, numbers and booleans bare.</summary>
    private static string GoValueString(JsonNode? value) => JsonValues.ToJson(value);

    public int CompareTo(PathElement? other)
    {
        if (other is null) return 1;
        if (Kind != other.Kind) return Kind.CompareTo(other.Kind);
        switch (Kind)
        {
            case PathElementKind.Field:
                return Math.Sign(string.CompareOrdinal(FieldName, other.FieldName));
            case PathElementKind.Key:
                for (var i = 0; i < Math.Min(KeyFields.Count, other.KeyFields.Count); i++)
                {
                    var c = Math.Sign(string.CompareOrdinal(KeyFields[i].Key, other.KeyFields[i].Key));
                    if (c != 0) return c;
                    c = JsonValues.Compare(KeyFields[i].Value, other.KeyFields[i].Value);
                    if (c != 0) return c;
                }

                return KeyFields.Count.CompareTo(other.KeyFields.Count);
            case PathElementKind.Value:
                return JsonValues.Compare(Value, other.Value);
            default:
                return Index.CompareTo(other.Index);
        }
    }

    public bool Equals(PathElement? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is PathElement p && Equals(p);

    public override int GetHashCode() => Kind switch
    {
        PathElementKind.Field => HashCode.Combine(Kind, FieldName),
        PathElementKind.Index => HashCode.Combine(Kind, Index),
        // Numbers may be spelled differently (1 vs 1.0); hash only on the shape for keys and values.
        PathElementKind.Key => HashCode.Combine(Kind, string.Join(",", KeyFields.Select(k => k.Key))),
        _ => HashCode.Combine(Kind, JsonValues.KindOf(Value)),
    };

    public override string ToString() => Serialized;
}
