using System.Collections.Concurrent;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;
using Flock.Sandbox.ApiServer.Machinery;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Fans the sandbox's one write hook, one broadcast hook and the providers' manifest hooks out to any number of subscribers (a crash run, a fault
/// test's condition recorder), so runs side by side each see the writes and transactions they care about.
/// </summary>
public sealed class SandboxTaps
{
    private readonly ConcurrentDictionary<long, Func<ApiWrite, Task>> _writes = new();
    private readonly ConcurrentDictionary<long, Func<BroadcastAttempt, Task<bool>>> _broadcasts = new();
    private readonly ConcurrentDictionary<long, Func<ManifestArrival, Task<bool>>> _manifests = new();
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

    /// <summary>
    /// Every manifest PUT on arrival and after acceptance at the providers this tap is connected to
    /// (<see cref="Connect"/>); a subscriber answering false on arrival drops it.
    /// </summary>
    public IDisposable OnManifest(Func<ManifestArrival, Task<bool>> subscriber)
    {
        var id = Interlocked.Increment(ref _next);
        _manifests[id] = subscriber;
        return new Unsubscribe(() => _manifests.TryRemove(id, out _));
    }

    /// <summary>Routes a provider's manifest PUTs to the <see cref="OnManifest"/> subscribers.</summary>
    public void Connect(SimulatedProvider provider) => provider.Faults.ManifestHook = OnManifestAsync;

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

    private async Task<bool> OnManifestAsync(ManifestArrival arrival)
    {
        var pass = true;
        foreach (var subscriber in _manifests.Values) pass &= await subscriber(arrival);
        return pass;
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
