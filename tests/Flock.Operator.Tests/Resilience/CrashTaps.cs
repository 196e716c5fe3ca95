using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Connects one run's <see cref="PointWatch"/> to the sandbox: the victim's kube writes (by its identity) and the
/// transactions its account signs and the manifests it sends to a provider, each a point where it may be killed.
/// </summary>
public static class CrashTaps
{
    public static IDisposable Attach(ResilienceSandbox sandbox, PointWatch watch, string victimUser, string? akashOwner)
    {
        var kube = sandbox.Taps.OnWrite(write =>
        {
            if (write.User == victimUser) watch.Reach(PointKind.KubeWrite, write.Shape);
            return Task.CompletedTask;
        });
        var chain = sandbox.Taps.OnBroadcast(attempt =>
        {
            if (akashOwner is null || !attempt.Signers.Contains(akashOwner)) return Task.FromResult(true);
            var shape = string.Join("+", attempt.MessageTypes.Select(t => t[(t.LastIndexOf('.') + 1)..]));
            var kind = attempt.Point == BroadcastPoint.BeforeCheckTx ? PointKind.TxBeforeCheckTx : PointKind.TxAfterCheckTx;
            // Killed before CheckTx: the request dies with the process, so the node never sees the transaction.
            return Task.FromResult(!(watch.Reach(kind, shape) && kind == PointKind.TxBeforeCheckTx));
        });
        var manifests = sandbox.Taps.OnManifest(arrival =>
        {
            if (arrival.Owner != akashOwner) return Task.FromResult(true);
            var kind = arrival.Point == ManifestPoint.Received ? PointKind.ManifestBeforeAccept : PointKind.ManifestAfterAccept;
            // Killed on arrival: the request dies with the process, so the provider never applies the manifest.
            return Task.FromResult(!(watch.Reach(kind, "PUT manifest") && kind == PointKind.ManifestBeforeAccept));
        });
        return new All([kube, chain, manifests]);
    }

    private sealed class All(IReadOnlyList<IDisposable> subscriptions) : IDisposable
    {
        public void Dispose()
        {
            foreach (var subscription in subscriptions) subscription.Dispose();
        }
    }
}
