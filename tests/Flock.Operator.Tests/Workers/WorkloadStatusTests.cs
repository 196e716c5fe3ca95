using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Tests.Workers;

/// <summary>Status tells the truth from what was observed, with reasons a person can act on.</summary>
public sealed class WorkloadStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static V1Deployment Deployment(int available, long generation = 2, long observed = 2) => new()
    {
        Metadata = new V1ObjectMeta { Name = "w", Generation = generation },
        Status = new V1DeploymentStatus { AvailableReplicas = available, ObservedGeneration = observed },
    };

    private static V1Pod Pod(Action<V1PodStatus> shape)
    {
        var status = new V1PodStatus { Conditions = [], ContainerStatuses = [new V1ContainerStatus { Name = "worker", Image = "img:1", RestartCount = 0 }] };
        shape(status);
        return new V1Pod { Metadata = new V1ObjectMeta { Name = "w-1", CreationTimestamp = Now.UtcDateTime }, Status = status };
    }

    [Fact]
    public void Ready_only_when_available_for_the_current_generation_and_the_pod_is_ready()
    {
        var readyPod = Pod(s => s.Conditions.Add(new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = Now.UtcDateTime }));

        Assert.True(WorkloadObserver.Observe(Deployment(1), [readyPod], validator: false).Ready);
        Assert.False(WorkloadObserver.Observe(Deployment(1, generation: 3, observed: 2), [readyPod], validator: false).Ready);
        Assert.False(WorkloadObserver.Observe(Deployment(0), [readyPod], validator: false).Ready);
        Assert.Equal(Now, WorkloadObserver.Observe(Deployment(1), [readyPod], validator: false).Since);
    }

    [Fact]
    public void An_unschedulable_pod_is_reported_with_the_schedulers_message()
    {
        var pod = Pod(s => s.Conditions.Add(new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 Insufficient nvidia.com/gpu." }));

        var problem = WorkloadObserver.Observe(Deployment(0), [pod], validator: false).Problem!;

        Assert.Equal("Unschedulable", problem.Reason);
        Assert.Contains("3 Insufficient nvidia.com/gpu", problem.Message);
        Assert.False(problem.Fatal);
    }

    [Theory]
    [InlineData("ErrImagePull")]
    [InlineData("ImagePullBackOff")]
    public void Image_pull_failures_are_named(string waitingReason)
    {
        var pod = Pod(s => s.ContainerStatuses[0].State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = waitingReason, Message = "not found" } });

        Assert.Equal("ImagePullFailed", WorkloadObserver.Observe(Deployment(0), [pod], validator: false).Problem!.Reason);
    }

    [Fact]
    public void A_crash_loop_names_the_last_exit_code_and_restarts()
    {
        var pod = Pod(s =>
        {
            s.ContainerStatuses[0].State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } };
            s.ContainerStatuses[0].LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1 } };
            s.ContainerStatuses[0].RestartCount = 4;
        });

        var observation = WorkloadObserver.Observe(Deployment(0), [pod], validator: false);

        Assert.Equal("CrashLoopBackOff", observation.Problem!.Reason);
        Assert.Contains("last exit code 1", observation.Problem.Message);
        Assert.Equal(4, observation.Restarts);
    }

    [Fact]
    public void A_validator_exit_101_is_fatal_and_says_why()
    {
        var pod = Pod(s => s.ContainerStatuses[0].LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 101 } });

        var problem = WorkloadObserver.Observe(Deployment(0), [pod], validator: true).Problem!;

        Assert.Equal("ValidatorFatalExit", problem.Reason);
        Assert.Contains("disk is full", problem.Message);
        Assert.True(problem.Fatal);
    }

    [Fact]
    public void Status_conditions_are_kstatus_compliant_for_each_situation()
    {
        var ready = new WorkloadObservation(true, true, 0, Now, null);
        var waiting = new WorkloadObservation(true, false, 0, null, new WorkloadProblem("Unschedulable", "no gpu", false));
        var crashing = new WorkloadObservation(true, false, 3, null, new WorkloadProblem("CrashLoopBackOff", "exit 1", true));
        var none = new WorkloadObservation(false, false, 0, null, null);

        var running = Build(new WorkerFacts { Backend = Backend.InCluster, Workload = ready });
        var pending = Build(new WorkerFacts { Backend = Backend.InCluster, Workload = waiting });
        var failing = Build(new WorkerFacts { Backend = Backend.InCluster, Workload = crashing });
        var blocked = Build(new WorkerFacts { Backend = Backend.InCluster, Workload = none, Blocker = new WorkloadProblem("SecretNotFound", "Secret x missing", true) });
        var suspended = Build(new WorkerFacts { Backend = Backend.InCluster, Workload = none, Suspended = true });

        Assert.Equal((Phase.Running, "True", "False", "False"), Summary(running));
        Assert.Equal((Phase.Provisioning, "False", "True", "False"), Summary(pending));
        Assert.Equal((Phase.Degraded, "False", "False", "True"), Summary(failing));
        Assert.Equal((Phase.Failed, "False", "False", "True"), Summary(blocked));
        Assert.Equal("SecretNotFound", blocked.Conditions.Single(c => c.Type == "Ready").Reason);
        Assert.Equal((Phase.Suspended, "True", "False", "False"), Summary(suspended));
        Assert.Equal("Suspended", suspended.Conditions.Single(c => c.Type == "Ready").Reason);
        Assert.All(running.Conditions, c => Assert.Equal(5, c.ObservedGeneration));
    }

    private static WorkerStatusParts Build(WorkerFacts facts) => WorkerStatusBuilder.Build(facts, null, 5, Now);

    private static (Phase, string Ready, string Reconciling, string Stalled) Summary(WorkerStatusParts parts)
    {
        string Of(string type) => parts.Conditions.Single(c => c.Type == type).Status.ToString();
        return (parts.Phase, Of("Ready"), Of("Reconciling"), Of("Stalled"));
    }
}
