namespace Flock.Operator.Tests.Resilience;

/// <summary>Where a write point sits.</summary>
public enum PointKind
{
    /// <summary>A Kubernetes create, update, patch or delete the API server applied (the process dies before the answer).</summary>
    KubeWrite,

    /// <summary>An Akash transaction arrived at the node; CheckTx has not run (the process dies, the request is dropped).</summary>
    TxBeforeCheckTx,

    /// <summary>CheckTx accepted the transaction into the mempool; the process dies before it hears so.</summary>
    TxAfterCheckTx,

    /// <summary>A manifest PUT reached the provider; nothing is applied (the process dies, the request is dropped).</summary>
    ManifestBeforeAccept,

    /// <summary>The provider applied the manifest; the process dies before it hears the 200.</summary>
    ManifestAfterAccept,
}

/// <summary>One write point of a flow: the <paramref name="Occurrence"/>-th write of this shape by the operator process.</summary>
/// <param name="Shape">"patch flocktrainingnodes/status", "create events", "MsgCreateDeployment".</param>
public sealed record WritePoint(PointKind Kind, string Shape, int Occurrence)
{
    public override string ToString() => Kind switch
    {
        PointKind.KubeWrite => $"{Shape} #{Occurrence}",
        PointKind.TxBeforeCheckTx => $"{Shape} #{Occurrence} before CheckTx",
        PointKind.TxAfterCheckTx => $"{Shape} #{Occurrence} after CheckTx",
        PointKind.ManifestBeforeAccept => $"{Shape} #{Occurrence} before the provider accepts it",
        PointKind.ManifestAfterAccept => $"{Shape} #{Occurrence} after the provider accepted it",
        _ => $"{Kind} {Shape} #{Occurrence}",
    };
}

/// <summary>
/// Counts one operator process's write points in order and kills it at the target point (after the store or the
/// mempool has the write): at most once, and nothing counts after the kill (the successor's writes are its own).
/// </summary>
public sealed class PointWatch(WritePoint? target)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(PointKind, string), int> _counts = [];
    private readonly List<WritePoint> _seen = [];
    private readonly TaskCompletionSource _killed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    /// <summary>Kills the victim; set before the victim starts writing.</summary>
    public Action? Kill { get; set; }

    public WritePoint? Target => target;

    public Exception? KillFailure { get; private set; }

    /// <summary>Completes when the victim was killed at the target.</summary>
    public Task Killed => _killed.Task;

    /// <summary>The points seen up to the kill (all of them in a recording run), in order.</summary>
    public IReadOnlyList<WritePoint> Seen
    {
        get { lock (_lock) return _seen.ToList(); }
    }

    /// <summary>No point counts and nothing is killed after this (the run is over).</summary>
    public void Stop()
    {
        lock (_lock) _stopped = true;
    }

    /// <summary>The victim reached a point; true when it was killed here.</summary>
    public bool Reach(PointKind kind, string shape)
    {
        lock (_lock)
        {
            if (_stopped || _killed.Task.IsCompleted) return false;
            var occurrence = _counts[(kind, shape)] = _counts.GetValueOrDefault((kind, shape)) + 1;
            var point = new WritePoint(kind, shape, occurrence);
            _seen.Add(point);
            if (point != target) return false;
            try
            {
                Kill!();
            }
            catch (Exception e)
            {
                KillFailure = e;
                throw;
            }

            _killed.TrySetResult();
            return true;
        }
    }
}
