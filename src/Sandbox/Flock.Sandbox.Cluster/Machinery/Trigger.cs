namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>
/// A wake-up signal that coalesces: any number of <see cref="Fire"/> calls between two waits wake the
/// loop once, because every controller here is level-triggered and re-reads the whole cache anyway.
/// </summary>
internal sealed class Trigger : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Fire()
    {
        try
        {
            if (_signal.CurrentCount == 0) _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another thread fired between the check and the release: already signalled.
        }
        catch (ObjectDisposedException)
        {
            // The cluster stopped while an informer was still delivering.
        }
    }

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
