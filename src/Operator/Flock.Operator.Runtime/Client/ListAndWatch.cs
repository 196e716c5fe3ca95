namespace Flock.Operator.Runtime.Client;

/// <summary>One page of a list, with the collection's resourceVersion to watch from.</summary>
public sealed record ObjectList<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);

public sealed record ListOptions(string? LabelSelector = null, string? FieldSelector = null, int? Limit = null,
    string? Continue = null, string? ResourceVersion = null);

public sealed record WatchOptions(string? ResourceVersion, bool AllowBookmarks = true, int? TimeoutSeconds = null,
    string? LabelSelector = null, string? FieldSelector = null);

public enum WatchEventKind
{
    Added,
    Modified,
    Deleted,
    Bookmark,
    Error,
}

/// <summary>A watch event: an object change, a bookmark carrying only a resourceVersion, or an error Status.</summary>
public sealed record WatchEvent<T>(WatchEventKind Kind, T? Object, k8s.Models.V1Status? Status, string? ResourceVersion);
