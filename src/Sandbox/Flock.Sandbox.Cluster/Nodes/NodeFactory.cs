using k8s.Models;

namespace Flock.Sandbox.Cluster.Nodes;

/// <summary>The Node object a kubelet registers for a <see cref="NodeSpec"/>: labels, taints, capacity and status.</summary>
internal static class NodeFactory
{
    public static V1Node Object(NodeSpec spec, string address, string kubernetesVersion) => new()
    {
        ApiVersion = "v1",
        Kind = "Node",
        Metadata = new V1ObjectMeta
        {
            Name = spec.Name,
            Labels = Labels(spec),
            Annotations = new Dictionary<string, string>
            {
                ["node.alpha.kubernetes.io/ttl"] = "0",
                ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
            },
        },
        Spec = new V1NodeSpec
        {
            Unschedulable = spec.Unschedulable ? true : null,
            Taints = spec.Taints.Count == 0 ? null : spec.Taints.Select(t => new V1Taint { Key = t.Key, Value = t.Value, Effect = t.Effect }).ToList(),
            ProviderID = $"sandbox://{spec.Name}",
        },
        Status = Status(spec, address, kubernetesVersion, DateTime.UtcNow),
    };

    public static Dictionary<string, string> Labels(NodeSpec spec)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = spec.Name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["beta.kubernetes.io/os"] = "linux",
            ["beta.kubernetes.io/arch"] = "amd64",
            ["node.kubernetes.io/instance-type"] = spec.InstanceType,
            ["beta.kubernetes.io/instance-type"] = spec.InstanceType,
            ["topology.kubernetes.io/region"] = "sandbox-1",
            ["topology.kubernetes.io/zone"] = "sandbox-1a",
        };
        if (spec.Gpus > 0)
        {
            labels["nvidia.com/gpu.present"] = "true";
            labels["nvidia.com/gpu.count"] = spec.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (spec.GpuProduct is not null) labels["nvidia.com/gpu.product"] = spec.GpuProduct;
            if (spec.GpuMemoryMiB > 0) labels["nvidia.com/gpu.memory"] = spec.GpuMemoryMiB.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var (k, v) in spec.Labels) labels[k] = v;
        return labels;
    }

    public static V1NodeStatus Status(NodeSpec spec, string address, string kubernetesVersion, DateTime now)
    {
        var capacity = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(spec.Cpu),
            ["memory"] = new(spec.Memory),
            ["pods"] = new(spec.MaxPods.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ["ephemeral-storage"] = new(spec.EphemeralStorage),
            ["hugepages-1Gi"] = new("0"),
            ["hugepages-2Mi"] = new("0"),
        };
        if (spec.Gpus > 0) capacity["nvidia.com/gpu"] = new(spec.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new V1NodeStatus
        {
            Capacity = capacity,
            // Allocatable equals capacity: the sandbox reserves nothing for system daemons, so requests are easy to reason about.
            Allocatable = new Dictionary<string, ResourceQuantity>(capacity, StringComparer.Ordinal),
            Conditions =
            [
                Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", now),
                Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", now),
                Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", now),
                Condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
            ],
            Addresses = [new V1NodeAddress { Address = address, Type = "InternalIP" }, new V1NodeAddress { Address = spec.Name, Type = "Hostname" }],
            DaemonEndpoints = new V1NodeDaemonEndpoints { KubeletEndpoint = new V1DaemonEndpoint { Port = 10250 } },
            NodeInfo = new V1NodeSystemInfo
            {
                Architecture = "amd64",
                BootID = Guid.NewGuid().ToString(),
                ContainerRuntimeVersion = "containerd://1.7.24",
                KernelVersion = "6.8.0-1021-gcp",
                KubeProxyVersion = kubernetesVersion,
                KubeletVersion = kubernetesVersion,
                MachineID = Guid.NewGuid().ToString("N"),
                OperatingSystem = "linux",
                OsImage = "Ubuntu 22.04.5 LTS",
                SystemUUID = Guid.NewGuid().ToString(),
            },
        };
    }

    private static V1NodeCondition Condition(string type, string status, string reason, string message, DateTime now) => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastHeartbeatTime = now,
        LastTransitionTime = now,
    };
}
