using System.Text;
using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>
/// A set of field paths as a tree (sigs.k8s.io/structured-merge-diff fieldpath.Set): each node is a path,
/// flagged when the path itself is a member. Serialises to and from the FieldsV1 format the apiserver
/// stores in metadata.managedFields (children sorted as structured-merge-diff sorts them, <c>".":{}</c>
/// first when a path is a member and also has members below it).
/// </summary>
public sealed class FieldSet
{
    private readonly SortedDictionary<PathElement, FieldSet> children = new();

    /// <summary>Whether the path leading to this node is itself in the set.</summary>
    public bool IsMember { get; private set; }

    public IReadOnlyDictionary<PathElement, FieldSet> Children => children;

    public bool IsEmpty => !IsMember && children.Count == 0;

    public FieldSet Child(PathElement element) => children.TryGetValue(element, out var c) ? c : Empty;

    public bool TryGetChild(PathElement element, out FieldSet child)
    {
        if (children.TryGetValue(element, out var c))
        {
            child = c;
            return true;
        }

        child = Empty;
        return false;
    }

    private static FieldSet Empty => new();

    /// <summary>Adds a path (and creates its ancestors as non-members).</summary>
    public void Insert(IReadOnlyList<PathElement> path)
    {
        var node = this;
        foreach (var element in path)
        {
            node = node.GetOrAdd(element);
        }

        if (path.Count > 0) node.IsMember = true;
    }

    internal void MarkMember() => IsMember = true;

    internal FieldSet GetOrAdd(PathElement element)
    {
        if (!children.TryGetValue(element, out var child))
        {
            child = new FieldSet();
            children[element] = child;
        }

        return child;
    }

    public bool Has(IReadOnlyList<PathElement> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element, out node!)) return false;
        }

        return path.Count > 0 && node.IsMember;
    }

    /// <summary>Whether the set has any member at or below <paramref name="path"/>.</summary>
    public bool HasAtOrBelow(IReadOnlyList<PathElement> path)
    {
        var node = this;
        foreach (var element in path)
        {
            if (!node.children.TryGetValue(element, out node!)) return false;
        }

        return node.IsMember || node.children.Count > 0;
    }

    public FieldSet Clone()
    {
        var copy = new FieldSet { IsMember = IsMember };
        foreach (var (e, c) in children) copy.children[e] = c.Clone();
        return copy;
    }

    public FieldSet Union(FieldSet other)
    {
        var result = Clone();
        result.UnionInPlace(other);
        return result;
    }

    private void UnionInPlace(FieldSet other)
    {
        IsMember |= other.IsMember;
        foreach (var (e, c) in other.children)
        {
            GetOrAdd(e).UnionInPlace(c);
        }
    }

    /// <summary>Members of this set that are not members of <paramref name="other"/> (exact paths only).</summary>
    public FieldSet Difference(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && !other.IsMember };
        foreach (var (e, c) in children)
        {
            var d = other.children.TryGetValue(e, out var oc) ? c.Difference(oc) : c.Clone();
            if (!d.IsEmpty) result.children[e] = d;
        }

        return result;
    }

    public FieldSet Intersection(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember && other.IsMember };
        foreach (var (e, c) in children)
        {
            if (other.children.TryGetValue(e, out var oc))
            {
                var i = c.Intersection(oc);
                if (!i.IsEmpty) result.children[e] = i;
            }
        }

        return result;
    }

    /// <summary>Removes every member of <paramref name="other"/> together with everything below it.</summary>
    public FieldSet RecursiveDifference(FieldSet other)
    {
        var result = new FieldSet { IsMember = IsMember };
        foreach (var (e, c) in children)
        {
            if (other.children.TryGetValue(e, out var oc))
            {
                if (oc.IsMember) continue;
                var d = c.RecursiveDifference(oc);
                if (!d.IsEmpty) result.children[e] = d;
            }
            else
            {
                result.children[e] = c.Clone();
            }
        }

        return result;
    }

    /// <summary>Every member path, in sorted order.</summary>
    public IEnumerable<IReadOnlyList<PathElement>> Paths()
    {
        var prefix = new List<PathElement>();
        return Walk(this, prefix);

        static IEnumerable<IReadOnlyList<PathElement>> Walk(FieldSet node, List<PathElement> prefix)
        {
            if (node.IsMember && prefix.Count > 0) yield return prefix.ToArray();
            foreach (var (e, c) in node.children)
            {
                prefix.Add(e);
                foreach (var p in Walk(c, prefix)) yield return p;
                prefix.RemoveAt(prefix.Count - 1);
            }
        }
    }

    /// <summary>The FieldsV1 JSON object.</summary>
    public JsonObject ToFieldsV1() => Emit(this, includeSelf: false);

    private static JsonObject Emit(FieldSet node, bool includeSelf)
    {
        var obj = new JsonObject();
        if (includeSelf && node.IsMember && node.children.Count > 0)
        {
            obj["."] = new JsonObject();
        }

        foreach (var (e, c) in node.children)
        {
            obj[e.Serialized] = Emit(c, includeSelf: true);
        }

        return obj;
    }

    /// <summary>Parses a FieldsV1 JSON object.</summary>
    public static FieldSet FromFieldsV1(JsonObject? fieldsV1)
    {
        var set = new FieldSet();
        if (fieldsV1 is not null) Read(set, fieldsV1);
        return set;

        static void Read(FieldSet node, JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                if (key == ".")
                {
                    node.IsMember = true;
                    continue;
                }

                var child = node.GetOrAdd(PathElement.Parse(key));
                if (value is JsonObject inner && inner.Count > 0)
                {
                    Read(child, inner);
                }
                else
                {
                    child.IsMember = true;
                }
            }
        }
    }

    /// <summary>A path as a conflict message spells it (fieldpath.Path.String()).</summary>
    public static string PathString(IReadOnlyList<PathElement> path)
    {
        var sb = new StringBuilder();
        foreach (var e in path) sb.Append(e.ToPathString());
        return sb.ToString();
    }

    public override string ToString() => Flock.Sandbox.Patching.Json.JsonValues.ToJson(ToFieldsV1());
}
