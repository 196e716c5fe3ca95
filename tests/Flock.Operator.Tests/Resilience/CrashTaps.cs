using Flock.Sandbox.AkashChain;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Connects one run's <see cref="PointWatch"/> to the sandbox: the victim's kube writes (by its identity) and the
/// transactions its account signs, each a point where it may be killed. New kinds of points (the provider's manifest
/// PUT) are one more subscription here.
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
        // Extension point (PointKind.ManifestSend): subscribe to the provider simulator's manifest hook here.
        return new Both(kube, chain);
    }

    private sealed class Both(IDisposable a, IDisposable b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }
}
