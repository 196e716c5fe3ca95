using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Sources;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.Runtime;

/// <summary>A controller runs its outside sources from the start of its run (before its caches sync) to its end.</summary>
public sealed class WatchesSourceTests
{
    private sealed class NoReconciler : IReconciler
    {
        public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct) => Task.FromResult(ReconcileResult.Done);
    }

    // An informer that is never run: its cache never syncs, so the controller stays in its first phase.
    private static Informer<V1ConfigMap> Unsynced()
    {
        var connection = new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" });
        return new Informer<V1ConfigMap>(new KubeRestClient(connection, "test"), BuiltInKinds.ConfigMap, new InformerOptions { Namespace = "ns" },
            NullLogger.Instance, TimeProvider.System);
    }

    [Fact]
    public async Task Outside_events_enqueue_the_keys_they_map_to_from_the_start_and_stop_with_the_controller()
    {
        var events = new ChannelSource<int>();
        var controller = new Controller<V1ConfigMap>("sourced", Unsynced(), new NoReconciler(), new ControllerOptions(), NullLogger.Instance, TimeProvider.System)
            .WatchesSource(events, n => n < 0 ? throw new InvalidOperationException("no key for a negative number") : [new ObjectKey("ns", $"cm-{n}"), new ObjectKey("ns", "all")]);
        Assert.Equal(0, events.Subscribers);
        using var stop = new CancellationTokenSource();

        var run = controller.RunAsync(stop.Token);
        events.Publish(1);
        events.Publish(-1);
        events.Publish(2);
        await Eventually.TrueAsync(() => controller.Queue.Length == 3, "cm-1, cm-2 and all queued once each");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        Assert.Equal(0, events.Subscribers);
    }
}
