namespace Flock.Sandbox.Cluster.Scheduling;

/// <summary>
/// The scheduler's FitError message: "0/N nodes are available: &lt;histogram&gt;." followed by the
/// DefaultPreemption PostFilter's own FitError, "preemption: 0/N nodes are available: …". Histogram
/// entries are "&lt;count&gt; &lt;reason&gt;" sorted as strings, as Go's sort.Strings orders them.
/// </summary>
internal static class FitError
{
    public const string NoNodesAvailable = "no nodes available to schedule pods";
    public const string PreemptionNotHelpful = "Preemption is not helpful for scheduling";
    public const string NoVictims = "No preemption victims found for incoming pod";

    /// <param name="nodeCount">All nodes considered.</param>
    /// <param name="rejections">One rejection per node that failed a filter.</param>
    public static string Message(int nodeCount, IReadOnlyCollection<NodeRejection> rejections)
    {
        if (nodeCount == 0) return NoNodesAvailable;
        var filter = Histogram(rejections.SelectMany(r => r.Reasons));

        // The sandbox has no lower-priority pods to evict, so preemption finds no victims wherever it could help at all.
        var preemption = Histogram(rejections.Select(r => r.Unresolvable ? PreemptionNotHelpful : NoVictims));
        return $"0/{nodeCount} nodes are available: {filter}. preemption: 0/{nodeCount} nodes are available: {preemption}.";
    }

    /// <summary>The message when a PreFilter plugin rejected the pod for all nodes (preemption cannot help anywhere).</summary>
    public static string PreFilterMessage(int nodeCount, string reason) =>
        nodeCount == 0 ? NoNodesAvailable
            : $"0/{nodeCount} nodes are available: {reason}. preemption: 0/{nodeCount} nodes are available: {nodeCount} {PreemptionNotHelpful}.";

    private static string Histogram(IEnumerable<string> reasons) =>
        string.Join(", ", reasons.GroupBy(r => r, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}").Order(StringComparer.Ordinal));
}
