namespace Flock.Sandbox.Patching.Apply;

/// <summary>
/// A field another manager owns with a different value than the applied configuration sets.
/// <see cref="FieldPath"/> is spelled as the apiserver spells a conflict's field (e.g. <c>.spec.replicas</c>,
/// <c>.spec.template.spec.containers[name="app"].image</c>).
/// </summary>
public sealed record ApplyConflict(string Manager, string FieldPath)
{
    /// <summary>"Apply" or "Update".</summary>
    public string Operation { get; init; } = "Apply";

    /// <summary>The API version the other manager wrote at (relevant for Update managers).</summary>
    public string? ApiVersion { get; init; }

    public string? Subresource { get; init; }

    /// <summary>How the apiserver names the manager in messages (printManager).</summary>
    public string ManagerDescription
    {
        get
        {
            var text = Quote(Manager);
            if (!string.IsNullOrEmpty(Subresource)) text += $" with subresource {Quote(Subresource)}";
            if (Operation == "Update") text += $" using {ApiVersion}";
            return text;
        }
    }

    /// <summary>The message of the StatusCause (type FieldManagerConflict) the apiserver returns for this conflict.</summary>
    public string CauseMessage => $"conflict with {ManagerDescription}";

    internal static string Quote(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
