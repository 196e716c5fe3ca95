using System.Text.Json.Nodes;

namespace Flock.Sandbox.Patching.Apply;

/// <summary>The result of a server-side apply: the new object, or the conflicts that stopped it.</summary>
public sealed class ApplyOutcome
{
    private ApplyOutcome(JsonObject? obj, IReadOnlyList<ApplyConflict> conflicts, bool changed)
    {
        Object = obj;
        Conflicts = conflicts;
        Changed = changed;
    }

    /// <summary>The merged object with metadata.managedFields updated; null when there were conflicts.</summary>
    public JsonObject? Object { get; }

    public IReadOnlyList<ApplyConflict> Conflicts { get; }

    public bool Succeeded => Object is not null;

    /// <summary>Whether the object apart from managedFields differs from the live one (a no-op apply keeps resourceVersion).</summary>
    public bool Changed { get; }

    internal static ApplyOutcome Success(JsonObject obj, bool changed) => new(obj, [], changed);

    internal static ApplyOutcome Conflicted(IReadOnlyList<ApplyConflict> conflicts) => new(null, conflicts, false);

    /// <summary>The Status message the apiserver returns with 409 Conflict (getConflictMessage).</summary>
    public string ConflictMessage
    {
        get
        {
            if (Conflicts.Count == 0) return string.Empty;
            if (Conflicts.Count == 1)
            {
                return $"Apply failed with 1 conflict: conflict with {Conflicts[0].ManagerDescription}: {Conflicts[0].FieldPath}";
            }

            var lines = new List<string>();
            foreach (var group in Conflicts.GroupBy(c => c.ManagerDescription).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                lines.Add($"conflicts with {group.Key}:");
                lines.AddRange(group.Select(c => $"- {c.FieldPath}"));
            }

            return $"Apply failed with {Conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }
    }
}
