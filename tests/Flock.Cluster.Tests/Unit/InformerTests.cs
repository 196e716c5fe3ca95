using Flock.Sandbox.Cluster.Machinery;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Cluster.Tests.Unit;

public class InformerTests
{
    private static Informer<V1Pod, V1PodList> NewInformer() => new("pods",
        _ => Task.FromResult(new V1PodList { Items = [] }),
        (_, _, _) => AsyncEnumerable.Empty<(WatchEventType, V1Pod)>(),
        NullLogger.Instance);

    private static V1Pod Pod(string uid, string rv, string phase = "Pending") => new()
    {
        Metadata = new V1ObjectMeta { Name = "p", NamespaceProperty = "default", Uid = uid, ResourceVersion = rv },
        Status = new V1PodStatus { Phase = phase },
    };

    [Fact]
    public void An_older_copy_arriving_late_does_not_replace_the_controllers_own_write()
    {
        var informer = NewInformer();
        informer.Upsert(Pod("u1", "12", "Running"));

        informer.Upsert(Pod("u1", "11", "Pending"));

        Assert.Equal("Running", informer.Get("default", "p")?.Status.Phase);
    }

    [Fact]
    public void A_deleted_object_is_not_resurrected_by_late_events_but_a_new_one_of_the_same_name_is_seen()
    {
        var informer = NewInformer();
        var old = Pod("u1", "5");
        informer.Upsert(old);

        informer.Remove(old);
        informer.Upsert(Pod("u1", "6"));
        Assert.Null(informer.Get("default", "p"));

        informer.Upsert(Pod("u2", "7"));
        Assert.Equal("u2", informer.Get("default", "p")?.Metadata.Uid);
    }

    [Fact]
    public void Changes_notify_listeners()
    {
        var informer = NewInformer();
        var changes = 0;
        informer.Changed += () => changes++;

        informer.Upsert(Pod("u1", "1"));
        informer.Remove(Pod("u1", "2"));

        Assert.Equal(2, changes);
    }
}
