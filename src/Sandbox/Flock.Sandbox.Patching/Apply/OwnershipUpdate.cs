using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>What a write changed, and the fields other managers would lose (structured-merge-diff Updater.update).</summary>
internal static class OwnershipUpdate
{
    /// <summary>The comparison of two objects restricted to fields managedFields can hold.</summary>
    public static Comparison CompareOwned(JsonObject before, JsonObject after, ApplySchema schema)
    {
        var raw = Comparison.Compare(before, after, schema.Root);
        var reset = FieldSets.TopLevel(schema.ResetFields);
        var c = new Comparison();
        Copy(raw.Added, c.Added, reset);
        Copy(raw.Modified, c.Modified, reset);
        Copy(raw.Removed, c.Removed, reset);
        return c;
    }

    private static void Copy(FieldSet from, FieldSet into, FieldSet reset)
    {
        foreach (var path in Sanitize(from, reset).Paths())
        {
            into.Insert(path);
        }
    }

    /// <summary>Drops the stripMeta paths and the reset fields (recursively).</summary>
    public static FieldSet Sanitize(FieldSet set, FieldSet reset) => FieldSets.StripMeta(set).RecursiveDifference(reset);

    /// <summary>Per other manager, the fields of theirs the change touches (Modified or Added).</summary>
    public static List<(ManagerEntry Entry, FieldSet Conflicts)> Conflicts(IEnumerable<ManagerEntry> others, Comparison change)
    {
        var touched = change.Modified.Union(change.Added);
        var result = new List<(ManagerEntry, FieldSet)>();
        foreach (var other in others)
        {
            var c = other.Fields.Intersection(touched);
            if (!c.IsEmpty) result.Add((other, c));
        }

        return result;
    }

    /// <summary>Other managers lose the fields the change took over or removed.</summary>
    public static void TakeOver(IEnumerable<ManagerEntry> others, Comparison change)
    {
        var lost = change.Modified.Union(change.Added).Union(change.Removed);
        foreach (var other in others)
        {
            other.Fields = other.Fields.Difference(lost);
        }
    }
}
