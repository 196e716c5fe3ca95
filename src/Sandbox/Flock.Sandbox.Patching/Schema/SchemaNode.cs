using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Schema;

/// <summary>What a schema node describes.</summary>
public enum SchemaKind
{
    /// <summary>A leaf value (string, number, boolean, int-or-string, quantity...).</summary>
    Scalar,

    /// <summary>A struct (named fields) and/or a map (arbitrary keys with <see cref="SchemaNode.Values"/>).</summary>
    Object,

    /// <summary>A list.</summary>
    List,

    /// <summary>
    /// A value of unknown shape, typed by what it holds: objects merge key by key, lists are atomic.
    /// <see cref="SchemaNode.UnknownKeysAreFields"/> decides whether object keys count as struct fields
    /// (built-in Go structs not spelled out in the table) or as map entries (structured-merge-diff's
    /// "deduced" type, used for x-kubernetes-preserve-unknown-fields).
    /// </summary>
    Untyped,
}

/// <summary>x-kubernetes-list-type.</summary>
public enum ListKind
{
    Atomic,
    Set,
    Map,
}

/// <summary>
/// One node of the type tree both patch engines walk. It carries the server-side-apply facts
/// (x-kubernetes-list-type / list-map-keys / map-type and struct-vs-map) and the strategic-merge-patch
/// facts (patchStrategy / patchMergeKey Go struct tags), which differ for a few fields
/// (e.g. batch/v1 JobStatus.conditions: patchStrategy merge by type, but listType atomic).
/// </summary>
public sealed class SchemaNode
{
    private static readonly IReadOnlyDictionary<string, SchemaNode> NoFields = new Dictionary<string, SchemaNode>();

    public SchemaKind Kind { get; init; }

    /// <summary>Named fields of a struct (object kind).</summary>
    public IReadOnlyDictionary<string, SchemaNode> Fields { get; init; } = NoFields;

    /// <summary>Type of values under keys that are not named fields (a map, additionalProperties).</summary>
    public SchemaNode? Values { get; init; }

    /// <summary>
    /// For an object without <see cref="Values"/>: whether unknown keys are treated as struct fields
    /// (true, built-in types) or map entries (false, structured-merge-diff's deduced type).
    /// </summary>
    public bool UnknownKeysAreFields { get; init; }

    /// <summary>structType/mapType atomic for objects; for lists use <see cref="ListType"/>.</summary>
    public bool Atomic { get; init; }

    /// <summary>x-kubernetes-list-type for lists.</summary>
    public ListKind ListType { get; init; }

    /// <summary>x-kubernetes-list-map-keys for map lists.</summary>
    public IReadOnlyList<string> Keys { get; init; } = [];

    /// <summary>Defaults of list-map keys (e.g. protocol: TCP for container ports), used when an item omits the key.</summary>
    public IReadOnlyDictionary<string, JsonNode> KeyDefaults { get; init; } = new Dictionary<string, JsonNode>();

    /// <summary>Item type of a list.</summary>
    public SchemaNode? Items { get; init; }

    /// <summary>The patchStrategy Go tag ("merge", "replace", "retainKeys", "merge,retainKeys"), if any.</summary>
    public string? PatchStrategy { get; init; }

    /// <summary>The patchMergeKey Go tag, if any.</summary>
    public string? PatchMergeKey { get; init; }

    /// <summary>Whether strategic merge patch merges this list (patchStrategy contains "merge").</summary>
    public bool PatchMerges => PatchStrategy is not null && PatchStrategy.Split(',').Contains("merge");

    /// <summary>Whether strategic merge patch replaces this map wholesale (patchStrategy "replace").</summary>
    public bool PatchReplaces => PatchStrategy is not null && PatchStrategy.Split(',').Contains("replace");

    /// <summary>Leaf type.</summary>
    public static SchemaNode Scalar { get; } = new() { Kind = SchemaKind.Scalar };

    /// <summary>Untyped value whose object keys are struct fields (used for built-in types the table does not spell out).</summary>
    public static SchemaNode Loose { get; } = new() { Kind = SchemaKind.Untyped, UnknownKeysAreFields = true };

    /// <summary>structured-merge-diff's deduced type: object keys are map entries, lists are atomic.</summary>
    public static SchemaNode Deduced { get; } = new() { Kind = SchemaKind.Untyped, UnknownKeysAreFields = false };

    /// <summary>The type of <paramref name="key"/> inside an object of this type, and whether it is a named field.</summary>
    public (SchemaNode Type, bool IsField) Child(string key)
    {
        if (Kind == SchemaKind.Untyped)
        {
            return (this, UnknownKeysAreFields);
        }

        if (Fields.TryGetValue(key, out var field))
        {
            return (field, true);
        }

        if (Values is not null)
        {
            return (Values, false);
        }

        return UnknownKeysAreFields ? (Loose, true) : (Deduced, false);
    }

    /// <summary>The type of items if this is a list; untyped otherwise.</summary>
    public SchemaNode ItemType => Items ?? (Kind == SchemaKind.Untyped ? this : Loose);

    /// <summary>The list type to use for a JSON array at this node (untyped and scalar nodes are atomic).</summary>
    public ListKind EffectiveListType => Kind == SchemaKind.List ? ListType : ListKind.Atomic;

    /// <summary>Whether a JSON object at this node is owned as a whole.</summary>
    public bool ObjectIsAtomic => Kind == SchemaKind.Object ? Atomic : Kind == SchemaKind.Scalar;

    // ---- builders -------------------------------------------------------------------------

    /// <summary>A struct with the given named fields; other keys are loose struct fields.</summary>
    public static SchemaNode Struct(params (string Name, SchemaNode Type)[] fields) => new()
    {
        Kind = SchemaKind.Object,
        Fields = fields.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal),
        UnknownKeysAreFields = true,
    };

    /// <summary>A struct owned and replaced as a whole (+structType=atomic).</summary>
    public static SchemaNode AtomicStruct() => new() { Kind = SchemaKind.Object, Atomic = true, UnknownKeysAreFields = true };

    /// <summary>A map[string]X (granular unless <paramref name="atomic"/>).</summary>
    public static SchemaNode Map(SchemaNode? values = null, bool atomic = false) => new()
    {
        Kind = SchemaKind.Object,
        Values = values ?? Scalar,
        Atomic = atomic,
    };

    /// <summary>
    /// A list merged by key: listType=map with <paramref name="keys"/> for apply, and patchStrategy
    /// <paramref name="strategy"/> with patchMergeKey <paramref name="mergeKey"/> for strategic merge patch.
    /// </summary>
    public static SchemaNode MapList(string mergeKey, SchemaNode? items = null, string[]? keys = null,
        string strategy = "merge", IReadOnlyDictionary<string, JsonNode>? defaults = null) => new()
    {
        Kind = SchemaKind.List,
        ListType = ListKind.Map,
        Keys = keys ?? [mergeKey],
        KeyDefaults = defaults ?? new Dictionary<string, JsonNode>(),
        Items = items ?? Struct(),
        PatchStrategy = strategy,
        PatchMergeKey = mergeKey,
    };

    /// <summary>A list of scalars merged as a set (listType=set, patchStrategy=merge), e.g. metadata.finalizers.</summary>
    public static SchemaNode SetList(bool patchMerge = true) => new()
    {
        Kind = SchemaKind.List,
        ListType = ListKind.Set,
        Items = Scalar,
        PatchStrategy = patchMerge ? "merge" : null,
    };

    /// <summary>An atomic list (replaced by strategic merge patch, owned whole by apply).</summary>
    public static SchemaNode AtomicList(SchemaNode? items = null) => new()
    {
        Kind = SchemaKind.List,
        ListType = ListKind.Atomic,
        Items = items ?? Loose,
    };

    /// <summary>A list strategic merge patch merges by <paramref name="mergeKey"/> but apply owns atomically (listType=atomic).</summary>
    public static SchemaNode MergeButAtomicList(string mergeKey, SchemaNode? items = null) => new()
    {
        Kind = SchemaKind.List,
        ListType = ListKind.Atomic,
        Items = items ?? Struct(),
        PatchStrategy = "merge",
        PatchMergeKey = mergeKey,
    };

    /// <summary>A copy of this struct node with a patchStrategy (e.g. retainKeys) set.</summary>
    public SchemaNode WithPatchStrategy(string strategy) => new()
    {
        Kind = Kind,
        Fields = Fields,
        Values = Values,
        UnknownKeysAreFields = UnknownKeysAreFields,
        Atomic = Atomic,
        ListType = ListType,
        Keys = Keys,
        KeyDefaults = KeyDefaults,
        Items = Items,
        PatchStrategy = strategy,
        PatchMergeKey = PatchMergeKey,
    };

    /// <summary>A copy of this struct node with extra or replaced named fields.</summary>
    public SchemaNode WithFields(params (string Name, SchemaNode Type)[] fields)
    {
        var merged = Fields.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        foreach (var (name, type) in fields)
        {
            merged[name] = type;
        }

        return new SchemaNode
        {
            Kind = SchemaKind.Object,
            Fields = merged,
            Values = Values,
            UnknownKeysAreFields = UnknownKeysAreFields,
            Atomic = Atomic,
            PatchStrategy = PatchStrategy,
        };
    }
}
