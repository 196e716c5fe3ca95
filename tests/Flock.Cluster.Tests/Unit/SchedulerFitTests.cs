using Flock.Sandbox.Cluster.Scheduling;
using k8s.Models;
using static Flock.Cluster.Tests.Unit.Pods;

namespace Flock.Cluster.Tests.Unit;

public class SchedulerFitTests
{
    private static NodeSnapshot Snap(V1Node node, params V1Pod[] bound) => NodeSnapshot.Build(node, bound);

    [Fact]
    public void Message_lists_each_reason_with_its_node_count_and_the_preemption_verdict()
    {
        var pod = Pod("trainer", gpus: 1);
        pod.Spec.NodeSelector = new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true" };
        var gpuLabels = new Dictionary<string, string> { ["nvidia.com/gpu.present"] = "true" };
        var nodes = new[]
        {
            Snap(Node("cpu-0")),
            Snap(Node("gpu-a", gpus: 1, labels: gpuLabels), Pod("a", gpus: 1, nodeName: "gpu-a", phase: "Running")),
            Snap(Node("gpu-b", gpus: 1, labels: gpuLabels), Pod("b", gpus: 1, nodeName: "gpu-b", phase: "Running")),
        };

        var (node, rejections) = SchedulerLoop.Schedule(pod, nodes);

        Assert.Null(node);
        Assert.Equal(
            "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient nvidia.com/gpu. " +
            "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
            FitError.Message(nodes.Length, rejections));
    }

    [Fact]
    public void Gpu_request_does_not_fit_a_node_without_gpus()
    {
        var rejection = NodeFit.Check(Pod(gpus: 1), Snap(Node("cpu-0")));

        Assert.NotNull(rejection);
        Assert.Equal(["Insufficient nvidia.com/gpu"], rejection.Reasons);
        Assert.False(rejection.Unresolvable);
    }

    [Fact]
    public void Finished_pods_free_their_resources()
    {
        var node = Node("gpu-a", gpus: 1);

        Assert.NotNull(NodeFit.Check(Pod(gpus: 1), Snap(node, Pod("old", gpus: 1, nodeName: "gpu-a", phase: "Running"))));
        Assert.Null(NodeFit.Check(Pod(gpus: 1), Snap(node, Pod("old", gpus: 1, nodeName: "gpu-a", phase: "Succeeded"))));
        Assert.Null(NodeFit.Check(Pod(gpus: 1), Snap(node, Pod("old", gpus: 1, nodeName: "gpu-a", phase: "Failed"))));
    }

    [Fact]
    public void Cpu_and_memory_are_summed_over_bound_pods_and_reported_together()
    {
        var node = Node("n", cpu: "4", memory: "8Gi");
        var bound = Pod("x", cpu: "3", memory: "6Gi", nodeName: "n", phase: "Running");

        var rejection = NodeFit.Check(Pod(cpu: "1500m", memory: "3Gi"), Snap(node, bound));

        Assert.NotNull(rejection);
        Assert.Equal(["Insufficient cpu", "Insufficient memory"], rejection.Reasons);
        Assert.Null(NodeFit.Check(Pod(cpu: "1", memory: "2Gi"), Snap(node, bound)));
    }

    [Fact]
    public void Untolerated_NoSchedule_taint_rejects_with_key_and_value_and_a_toleration_admits()
    {
        var node = Node("gpu", gpus: 1, taints: [new V1Taint { Key = "nvidia.com/gpu", Value = "present", Effect = "NoSchedule" }]);
        var pod = Pod(gpus: 1);

        var rejection = NodeFit.Check(pod, Snap(node));
        Assert.NotNull(rejection);
        Assert.Equal(["node(s) had untolerated taint {nvidia.com/gpu: present}"], rejection.Reasons);
        Assert.True(rejection.Unresolvable);

        pod.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        Assert.Null(NodeFit.Check(pod, Snap(node)));
    }

    [Fact]
    public void PreferNoSchedule_taints_do_not_filter()
    {
        var node = Node("n", taints: [new V1Taint { Key = "k", Value = "v", Effect = "PreferNoSchedule" }]);

        Assert.Null(NodeFit.Check(Pod(), Snap(node)));
    }

    [Theory]
    [InlineData("Equal", "k", "v", "NoSchedule", true)]
    [InlineData("Equal", "k", "other", "NoSchedule", false)]
    [InlineData("Exists", "k", null, null, true)]
    [InlineData("Exists", null, null, null, true)]
    [InlineData("Equal", "k", "v", "NoExecute", false)]
    [InlineData(null, "k", "v", null, true)]
    public void Toleration_matching_follows_operator_key_value_and_effect(string? op, string? key, string? value, string? effect, bool tolerated)
    {
        var taint = new V1Taint { Key = "k", Value = "v", Effect = "NoSchedule" };

        Assert.Equal(tolerated, NodeFit.Tolerates(new V1Toleration { OperatorProperty = op, Key = key, Value = value, Effect = effect }, taint));
    }

    [Fact]
    public void Cordoned_node_is_reported_unschedulable()
    {
        var rejection = NodeFit.Check(Pod(), Snap(Node("n", unschedulable: true)));

        Assert.NotNull(rejection);
        Assert.Equal([NodeFit.ReasonUnschedulable], rejection.Reasons);
    }

    [Theory]
    [InlineData("In", new[] { "NVIDIA-H100-80GB-HBM3", "NVIDIA-A100-SXM4-80GB" }, true)]
    [InlineData("In", new[] { "NVIDIA-L4" }, false)]
    [InlineData("NotIn", new[] { "NVIDIA-L4" }, true)]
    [InlineData("NotIn", new[] { "NVIDIA-H100-80GB-HBM3" }, false)]
    [InlineData("Exists", new string[0], true)]
    [InlineData("DoesNotExist", new string[0], false)]
    public void Required_node_affinity_operators_on_a_string_label(string op, string[] values, bool matches)
    {
        var node = Node("gpu", labels: new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-H100-80GB-HBM3", ["nvidia.com/gpu.memory"] = "81559" });
        var pod = Pod();
        pod.Spec.Affinity = Affinity(new V1NodeSelectorRequirement { Key = "nvidia.com/gpu.product", OperatorProperty = op, Values = values });

        Assert.Equal(matches, NodeFit.MatchesNodeSelectorAndAffinity(pod, node));
    }

    [Theory]
    [InlineData("Gt", "40000", true)]
    [InlineData("Gt", "90000", false)]
    [InlineData("Lt", "90000", true)]
    [InlineData("Lt", "81559", false)]
    public void Gt_and_Lt_compare_label_values_as_integers(string op, string value, bool matches)
    {
        var node = Node("gpu", labels: new Dictionary<string, string> { ["nvidia.com/gpu.memory"] = "81559" });
        var pod = Pod();
        pod.Spec.Affinity = Affinity(new V1NodeSelectorRequirement { Key = "nvidia.com/gpu.memory", OperatorProperty = op, Values = [value] });

        Assert.Equal(matches, NodeFit.MatchesNodeSelectorAndAffinity(pod, node));
    }

    [Fact]
    public void Node_selector_terms_are_ORed_and_expressions_within_a_term_ANDed()
    {
        var node = Node("gpu", labels: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" });
        var pod = Pod();
        pod.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms =
                    [
                        new V1NodeSelectorTerm { MatchExpressions = [Req("a", "In", "1"), Req("b", "In", "3")] },
                        new V1NodeSelectorTerm { MatchExpressions = [Req("b", "In", "2")] },
                    ],
                },
            },
        };

        Assert.True(NodeFit.MatchesNodeSelectorAndAffinity(pod, node));
        pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.RemoveAt(1);
        Assert.False(NodeFit.MatchesNodeSelectorAndAffinity(pod, node));
    }

    [Fact]
    public void Scheduler_prefers_the_least_allocated_feasible_node()
    {
        var busy = Snap(Node("a", cpu: "8"), Pod("x", cpu: "6", nodeName: "a", phase: "Running"));
        var idle = Snap(Node("b", cpu: "8"));

        var (node, rejections) = SchedulerLoop.Schedule(Pod(cpu: "1"), [busy, idle]);

        Assert.Equal("b", node?.Name);
        Assert.Empty(rejections);
    }

    [Fact]
    public void Too_many_pods_when_the_node_is_at_max_pods()
    {
        var node = Node("n");
        node.Status.Allocatable["pods"] = new ResourceQuantity("1");

        var rejection = NodeFit.Check(Pod(), Snap(node, Pod("x", nodeName: "n", phase: "Running")));

        Assert.Equal([NodeFit.ReasonTooManyPods], rejection?.Reasons);
    }

    [Fact]
    public void Without_nodes_the_message_is_the_schedulers_no_nodes_error()
    {
        Assert.Equal("no nodes available to schedule pods", FitError.Message(0, []));
    }

    private static V1NodeSelectorRequirement Req(string key, string op, string value) => new() { Key = key, OperatorProperty = op, Values = [value] };

    private static V1Affinity Affinity(V1NodeSelectorRequirement r) => new()
    {
        NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [r] }] },
        },
    };
}
