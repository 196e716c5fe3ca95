using System.Collections;
using System.Diagnostics;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>
/// Where OpenTelemetry's in-memory exporter puts finished spans: a locked list, because spans end on the operator's
/// threads while the test reads.
/// </summary>
internal sealed class SpanLog : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock) return _spans.Count;
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<Activity> Snapshot()
    {
        lock (_lock) return [.. _spans];
    }

    public void Add(Activity item)
    {
        lock (_lock) _spans.Add(item);
    }

    public void Clear()
    {
        lock (_lock) _spans.Clear();
    }

    public bool Contains(Activity item)
    {
        lock (_lock) return _spans.Contains(item);
    }

    public void CopyTo(Activity[] array, int arrayIndex)
    {
        lock (_lock) _spans.CopyTo(array, arrayIndex);
    }

    public bool Remove(Activity item)
    {
        lock (_lock) return _spans.Remove(item);
    }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

internal static class SpanExtensions
{
    public static string? Tag(this Activity span, string name) => span.GetTagItem(name)?.ToString();

    public static IEnumerable<Activity> ChildrenOf(this IEnumerable<Activity> spans, Activity parent) =>
        spans.Where(s => s.TraceId == parent.TraceId && s.ParentSpanId == parent.SpanId);

    /// <summary>Everything a span shows an exporter: its name, tag values, event names and status text.</summary>
    public static string Text(this Activity span) =>
        string.Join("\n", [span.DisplayName, span.StatusDescription ?? "", .. span.TagObjects.Select(t => $"{t.Key}={t.Value}"), .. span.Events.Select(e => e.Name)]);
}
