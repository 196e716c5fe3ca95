using k8s.Models;

namespace Flock.Cluster.Tests.Unit;

/// <summary>Builders for the objects the unit tests feed the pure functions.</summary>
internal static class Pods
{
    public static V1Pod Pod(string name = "p", string? cpu = null, string? memory = null, int gpus = 0, string? nodeName = null, string phase = "Pending")
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null) requests["cpu"] = new ResourceQuantity(cpu);
        if (memory is not null) requests["memory"] = new ResourceQuantity(memory);
        var limits = gpus > 0 ? new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)) } : null;
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Uid = Guid.NewGuid().ToString() },
            Spec = new V1PodSpec
            {
                NodeName = nodeName,
                Containers = [new V1Container { Name = "main", Image = "ghcr.io/flock/worker:1", Resources = new V1ResourceRequirements { Requests = requests, Limits = limits } }],
            },
            Status = new V1PodStatus { Phase = phase },
        };
    }

    public static V1Node Node(string name, string cpu = "8", string memory = "32Gi", int gpus = 0, Dictionary<string, string>? labels = null,
        IList<V1Taint>? taints = null, bool unschedulable = false)
    {
        var capacity = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu),
            ["memory"] = new(memory),
            ["pods"] = new("110"),
        };
        if (gpus > 0) capacity["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = labels ?? new Dictionary<string, string> { ["kubernetes.io/hostname"] = name } },
            Spec = new V1NodeSpec { Taints = taints, Unschedulable = unschedulable ? true : null },
            Status = new V1NodeStatus { Capacity = capacity, Allocatable = capacity },
        };
    }
}
