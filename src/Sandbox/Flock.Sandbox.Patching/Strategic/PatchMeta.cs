using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching;

/// <summary>
/// Strategic-merge-patch metadata for one type: at each path, whether a list merges (and by which key)
/// or is replaced, and whether a map is replaced. It is a view over a <see cref="SchemaNode"/> tree,
/// reading its patchStrategy / patchMergeKey.
/// </summary>
public sealed class PatchMeta
{
    public PatchMeta(SchemaNode root) => Root = root ?? throw new ArgumentNullException(nameof(root));

    /// <summary>The type tree.</summary>
    public SchemaNode Root { get; }

    /// <summary>No strategies anywhere: every list is replaced, every map merged (what an unknown struct gets).</summary>
    public static PatchMeta None { get; } = new(SchemaNode.Loose);

    /// <summary>
    /// Builds metadata from path strings: each key is a dotted path where "[]" steps into list items
    /// (e.g. "spec.containers", "spec.containers[].env"), each value is (patchStrategy, patchMergeKey).
    /// Unlisted paths have no strategy (lists replace, maps merge).
    /// </summary>
    public static PatchMeta FromPaths(IReadOnlyDictionary<string, (string Strategy, string? MergeKey)> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var root = new MutableNode();
        foreach (var (path, (strategy, mergeKey)) in paths)
        {
            var node = root;
            foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                var name = segment;
                var steps = 0;
                while (name.EndsWith("[]", StringComparison.Ordinal))
                {
                    name = name[..^2];
                    steps++;
                }

                node = node.Field(name);
                for (var i = 0; i < steps; i++)
                {
                    node = node.Item();
                }
            }

            node.Strategy = strategy;
            node.MergeKey = mergeKey;
        }

        return new PatchMeta(root.Build());
    }

    private sealed class MutableNode
    {
        private readonly Dictionary<string, MutableNode> fields = new(StringComparer.Ordinal);
        private MutableNode? item;

        public string? Strategy { get; set; }

        public string? MergeKey { get; set; }

        public MutableNode Field(string name)
        {
            if (!fields.TryGetValue(name, out var child))
            {
                child = new MutableNode();
                fields[name] = child;
            }

            return child;
        }

        public MutableNode Item() => item ??= new MutableNode();

        public SchemaNode Build()
        {
            if (item is not null || (Strategy is not null && MergeKey is not null) || Strategy == "merge" && fields.Count == 0)
            {
                var items = item?.Build() ?? (MergeKey is null ? SchemaNode.Scalar : SchemaNode.Struct());
                return new SchemaNode
                {
                    Kind = SchemaKind.List,
                    ListType = MergeKey is null ? (Strategy is null ? ListKind.Atomic : ListKind.Set) : ListKind.Map,
                    Keys = MergeKey is null ? [] : [MergeKey],
                    Items = items,
                    PatchStrategy = Strategy,
                    PatchMergeKey = MergeKey,
                };
            }

            var node = SchemaNode.Struct(fields.Select(p => (p.Key, p.Value.Build())).ToArray());
            return Strategy is null ? node : node.WithPatchStrategy(Strategy);
        }
    }
}
