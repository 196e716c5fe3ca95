using k8s;
using Flock.Sandbox.Cluster;
using k8s.Models;

namespace Flock.Cluster.Tests.Integration;

public class SchedulingTests : ClusterTestBase
{
    protected override ClusterOptions Options => base.Options with { Nodes = NodeSpec.Demo(taintGpuNodes: true) };

    [Fact]
    public async Task Gpu_taint_keeps_pods_without_toleration_off_gpu_nodes()
    {
        await Client.AppsV1.CreateNamespacedDeploymentAsync(GpuDeployment("intolerant"), Ns);

        var pods = await EventuallyAsync(() => PodsAsync("app=intolerant"),
            ps => ps.Count == 1 && ps[0].Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Reason: "Unschedulable" }) == true, "unschedulable");

        Assert.Equal(
            "0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) had untolerated taint {nvidia.com/gpu: present}. " +
            "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
            pods[0].Status.Conditions.Single(c => c.Type == "PodScheduled").Message);
    }

    [Fact]
    public async Task Toleration_and_gpu_product_affinity_place_the_pod_on_the_matching_node()
    {
        var d = GpuDeployment("a100-only");
        d.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        d.Spec.Template.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm
                        {
                            MatchExpressions = [new V1NodeSelectorRequirement { Key = "nvidia.com/gpu.product", OperatorProperty = "In", Values = ["NVIDIA-A100-SXM4-80GB"] }],
                        },
                    ],
                },
            },
        };
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns);

        var pods = await EventuallyAsync(() => PodsAsync("app=a100-only"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod ready");

        var node = await Client.CoreV1.ReadNodeAsync(pods[0].Spec.NodeName);
        Assert.Equal("NVIDIA-A100-SXM4-80GB", node.Metadata.Labels["nvidia.com/gpu.product"]);
    }

    [Fact]
    public async Task Nodes_register_with_gpu_capacity_labels_taints_and_ready_condition()
    {
        var nodes = (await Client.CoreV1.ListNodeAsync()).Items.ToDictionary(n => n.Metadata.Name);

        Assert.Equal(["cpu-0", "gpu-a100-0", "gpu-h100-0"], nodes.Keys.Order(StringComparer.Ordinal));
        var h100 = nodes["gpu-h100-0"];
        Assert.Equal("NVIDIA-H100-80GB-HBM3", h100.Metadata.Labels["nvidia.com/gpu.product"]);
        Assert.Equal("81559", h100.Metadata.Labels["nvidia.com/gpu.memory"]);
        Assert.Equal("1", h100.Metadata.Labels["nvidia.com/gpu.count"]);
        Assert.Equal("gpu-h100-0", h100.Metadata.Labels["kubernetes.io/hostname"]);
        Assert.True(h100.Metadata.Labels.ContainsKey("node.kubernetes.io/instance-type"));
        Assert.Equal("1", h100.Status.Capacity["nvidia.com/gpu"].ToString());
        Assert.Equal("1", h100.Status.Allocatable["nvidia.com/gpu"].ToString());
        Assert.All(["cpu", "memory", "pods", "ephemeral-storage"], r => Assert.True(h100.Status.Allocatable.ContainsKey(r)));
        Assert.Contains(h100.Spec.Taints, t => t is { Key: "nvidia.com/gpu", Value: "present", Effect: "NoSchedule" });
        Assert.Contains(h100.Status.Conditions, c => c is { Type: "Ready", Status: "True", Reason: "KubeletReady" });
        Assert.StartsWith("v1.", h100.Status.NodeInfo.KubeletVersion, StringComparison.Ordinal);
        Assert.False(nodes["cpu-0"].Status.Capacity.ContainsKey("nvidia.com/gpu"));
        Assert.Null(nodes["cpu-0"].Spec.Taints);
        Assert.Contains(await EventsForAsync("gpu-h100-0"), e => e.Reason == "NodeReady" && e.InvolvedObject.Kind == "Node" && e.Source.Component == "kubelet");
    }

    [Fact]
    public async Task Removing_a_gpu_node_moves_its_pod_to_another_gpu_node()
    {
        var d = GpuDeployment("mover");
        d.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists" }];
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns);
        var first = await EventuallyAsync(() => PodsAsync("app=mover"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod ready");

        await Cluster.RemoveNodeAsync(first[0].Spec.NodeName);

        var moved = await EventuallyAsync(() => PodsAsync("app=mover"),
            ps => ps.Count == 1 && ps[0].Metadata.Uid != first[0].Metadata.Uid && IsRunningAndReady(ps[0]), "replacement ready");
        Assert.NotEqual(first[0].Spec.NodeName, moved[0].Spec.NodeName);
        Assert.DoesNotContain(Cluster.NodeNames, n => n == first[0].Spec.NodeName);
        Assert.DoesNotContain((await Client.CoreV1.ListNodeAsync()).Items, n => n.Metadata.Name == first[0].Spec.NodeName);
    }

    [Fact]
    public async Task Cordoned_gpu_nodes_take_no_new_pods_until_uncordoned()
    {
        await Cluster.SetUnschedulableAsync("gpu-h100-0", true);
        await Cluster.SetUnschedulableAsync("gpu-a100-0", true);
        var d = GpuDeployment("cordoned");
        d.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists" }];
        await Client.AppsV1.CreateNamespacedDeploymentAsync(d, Ns);

        var pods = await EventuallyAsync(() => PodsAsync("app=cordoned"),
            ps => ps.Count == 1 && ps[0].Status?.Conditions?.Any(c => c is { Type: "PodScheduled", Reason: "Unschedulable" }) == true, "unschedulable");
        Assert.StartsWith("0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) were unschedulable.",
            pods[0].Status.Conditions.Single(c => c.Type == "PodScheduled").Message, StringComparison.Ordinal);

        await Cluster.SetUnschedulableAsync("gpu-h100-0", false);

        var placed = await EventuallyAsync(() => PodsAsync("app=cordoned"), ps => ps.Count == 1 && IsRunningAndReady(ps[0]), "pod ready");
        Assert.Equal("gpu-h100-0", placed[0].Spec.NodeName);
    }
}
