using System.Collections.Concurrent;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Fans the sandbox's one write hook and one broadcast hook out to any number of subscribers (a crash run, a fault
/// test's condition recorder), so runs side by side each see the writes and transactions they care about.
/// </summary>
public sealed class SandboxTaps
{
    private readonly ConcurrentDictionary<long, Func<ApiWrite, Task>> _writes = new();
    private readonly ConcurrentDictionary<long, Func<BroadcastAttempt, Task<bool>>> _broadcasts = new();
    private long _next;

    /// <summary>Every applied kube write, before the client hears of it, until the subscription is disposed.</summary>
    public IDisposable OnWrite(Func<ApiWrite, Task> subscriber)
    {
        var id = Interlocked.Increment(ref _next);
        _writes[id] = subscriber;
        return new Unsubscribe(() => _writes.TryRemove(id, out _));
    }

    /// <summary>Every broadcast before and after CheckTx; a subscriber answering false before CheckTx drops it.</summary>
    public IDisposable OnBroadcast(Func<BroadcastAttempt, Task<bool>> subscriber)
    {
        var id = Interlocked.Increment(ref _next);
        _broadcasts[id] = subscriber;
        return new Unsubscribe(() => _broadcasts.TryRemove(id, out _));
    }

    internal async Task OnWriteAsync(ApiWrite write)
    {
        TestRunRecord.Run.ObserveWrite(write);
        foreach (var subscriber in _writes.Values) await subscriber(write);
    }

    internal async Task<bool> OnBroadcastAsync(BroadcastAttempt attempt)
    {
        var pass = true;
        foreach (var subscriber in _broadcasts.Values) pass &= await subscriber(attempt);
        return pass;
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
