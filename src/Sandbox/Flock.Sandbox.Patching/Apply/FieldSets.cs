using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Json;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>The set of fields a value sets (structured-merge-diff TypedValue.ToFieldSet).</summary>
public static class FieldSets
{
    /// <summary>
    /// Every field <paramref name="value"/> specifies: leaves, atomic lists/maps/structs as a whole, map entries
    /// and list items as members (which gives list items and map entries holding objects their <c>"."</c> marker),
    /// struct fields only when they are leaves, null or empty objects.
    /// </summary>
    public static FieldSet Of(JsonNode? value, SchemaNode type, bool strict = false)
    {
        var set = new FieldSet();
        Walk(value, type, [], set, strict);
        return set;
    }

    private static void Walk(JsonNode? value, SchemaNode type, List<PathElement> path, FieldSet set, bool strict)
    {
        switch (value)
        {
            case JsonObject obj when ListItems.IsGranularObject(type):
                foreach (var (key, child) in obj)
                {
                    var (childType, isField) = type.Child(key);
                    path.Add(PathElement.Field(key));
                    Walk(child, childType, path, set, strict);
                    if (JsonValues.IsNull(child) || child is JsonObject { Count: 0 } || !isField)
                    {
                        set.Insert(path);
                    }

                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray array when ListItems.IsGranularList(type):
                foreach (var (element, item, _) in ListItems.Index(type, array, strict, FieldSet.PathString(path)))
                {
                    path.Add(element);
                    Walk(item, type.ItemType, path, set, strict);
                    set.Insert(path);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case null:
                break;
            default:
                set.Insert(path);
                break;
        }
    }

    /// <summary>
    /// Adds, as members, the named struct fields that have members below them
    /// (fieldpath.Set.EnsureNamedFieldsAreMembers), walking the set against the type.
    /// </summary>
    public static FieldSet EnsureNamedFieldsAreMembers(FieldSet set, SchemaNode type)
    {
        var result = set.Clone();
        Ensure(result, type);
        return result;

        static void Ensure(FieldSet node, SchemaNode type)
        {
            foreach (var (element, child) in node.Children)
            {
                SchemaNode childType;
                var named = false;
                if (element.Kind == PathElementKind.Field)
                {
                    (childType, named) = type.Child(element.FieldName!);
                }
                else
                {
                    childType = type.ItemType;
                }

                if (named && child.Children.Count > 0)
                {
                    child.MarkMember();
                }

                Ensure(child, childType);
            }
        }
    }

    /// <summary>Removes from <paramref name="set"/> the paths structured-merge-diff's stripMetaManager removes.</summary>
    public static FieldSet StripMeta(FieldSet set) => set.Difference(StripSet);

    private static readonly FieldSet StripSet = BuildStripSet();

    private static FieldSet BuildStripSet()
    {
        var set = new FieldSet();
        set.Insert([PathElement.Field("apiVersion")]);
        set.Insert([PathElement.Field("kind")]);
        set.Insert([PathElement.Field("metadata")]);
        foreach (var name in new[] { "name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion" })
        {
            set.Insert([PathElement.Field("metadata"), PathElement.Field(name)]);
        }

        return set;
    }

    /// <summary>A set holding the given top-level fields (for reset fields).</summary>
    public static FieldSet TopLevel(IEnumerable<string> fields)
    {
        var set = new FieldSet();
        foreach (var f in fields) set.Insert([PathElement.Field(f)]);
        return set;
    }
}
