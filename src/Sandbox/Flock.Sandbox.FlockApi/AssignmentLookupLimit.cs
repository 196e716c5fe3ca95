namespace Flock.Sandbox.FlockApi;

/// <summary>
/// One validation-assignment lookup per key per 3 minutes. The detail text is the real one: both validators compare
/// the whole body with {"detail": Detail} (FLock-validator validator/validation_runner.py run, llm-loss-validator v1.1.2
/// src/validate.py loop) and then sleep until 3 minutes (ASSIGNMENT_LOOKUP_INTERVAL = 60 * 3) after their last 200.
/// A lookup that is answered (an assignment or "no submissions") opens the window; a refused one does not extend it.
/// </summary>
internal sealed class AssignmentLookupLimit(TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(3);
    public const string Detail = "Rate limit reached for validation assignment lookup: 1 per 3 minutes";

    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _opened = new(StringComparer.Ordinal);

    public bool TryAcquire(string holder)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_opened.TryGetValue(holder, out var opened) && now - opened < Window) return false;
            _opened[holder] = now;
            return true;
        }
    }
}
