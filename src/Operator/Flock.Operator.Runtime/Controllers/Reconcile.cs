using Flock.Operator.Runtime.Informers;

namespace Flock.Operator.Runtime.Controllers;

/// <summary>
/// What a reconcile asks for next (controller-runtime's Result): nothing, or another look after a
/// delay (polling outside state such as a cloud lease or a remote job). Errors are thrown, not returned:
/// the controller retries them with per-key exponential backoff.
/// </summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    public static ReconcileResult Done => new(null);

    public static ReconcileResult After(TimeSpan delay) => new(delay);
}

/// <summary>Brings the world in line with one object, read fresh by key (level-triggered: no event is passed in).</summary>
public interface IReconciler
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct);
}

/// <summary>An error that retrying will not fix; the key is not requeued (controller-runtime's TerminalError).</summary>
public sealed class TerminalReconcileException(string message, Exception? inner = null) : Exception(message, inner);
