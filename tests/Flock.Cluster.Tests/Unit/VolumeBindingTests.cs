using Flock.Sandbox.Cluster.Scheduling;
using k8s.Models;

namespace Flock.Cluster.Tests.Unit;

public class VolumeBindingTests
{
    private static V1Pod PodWithClaim(string claim)
    {
        var pod = Pods.Pod();
        pod.Spec.Volumes = [new V1Volume { Name = "cache", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }];
        return pod;
    }

    private static V1PersistentVolumeClaim Claim(string phase, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "cache", NamespaceProperty = "default", DeletionTimestamp = deleting ? DateTime.UtcNow : null },
        Status = new V1PersistentVolumeClaimStatus { Phase = phase },
    };

    [Fact]
    public void Missing_claim_is_reported_by_name()
    {
        Assert.Equal("persistentvolumeclaim \"cache\" not found", VolumeBinding.PreFilter(PodWithClaim("cache"), (_, _) => null));
    }

    [Fact]
    public void Terminating_claim_is_reported_by_name()
    {
        Assert.Equal("persistentvolumeclaim \"cache\" is being deleted", VolumeBinding.PreFilter(PodWithClaim("cache"), (_, _) => Claim("Bound", deleting: true)));
    }

    [Fact]
    public void Pending_claim_blocks_scheduling_and_a_bound_one_does_not()
    {
        Assert.Equal(VolumeBinding.UnboundImmediate, VolumeBinding.PreFilter(PodWithClaim("cache"), (_, _) => Claim("Pending")));
        Assert.Null(VolumeBinding.PreFilter(PodWithClaim("cache"), (_, _) => Claim("Bound")));
        Assert.Null(VolumeBinding.PreFilter(Pods.Pod(), (_, _) => null));
    }

    [Fact]
    public void PreFilter_rejection_makes_preemption_unhelpful_on_every_node()
    {
        Assert.Equal(
            "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. " +
            "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
            FitError.PreFilterMessage(3, VolumeBinding.UnboundImmediate));
    }
}
