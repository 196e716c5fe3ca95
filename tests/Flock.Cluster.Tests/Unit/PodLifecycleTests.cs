using Flock.Sandbox.Cluster;
using Flock.Sandbox.Cluster.Kubelets;
using k8s.Models;

namespace Flock.Cluster.Tests.Unit;

public class PodLifecycleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly KubeletOptions Options = new()
    {
        StartDelay = TimeSpan.FromSeconds(1),
        RunDuration = TimeSpan.FromSeconds(5),
        CrashLoopBackOff = TimeSpan.FromSeconds(10),
        ImagePullBackOff = TimeSpan.FromSeconds(2),
    };

    private static V1Pod Pod(string restartPolicy = "Always") => new()
    {
        Metadata = new V1ObjectMeta { Name = "worker-abc-xyz", NamespaceProperty = "team-a", Uid = "pod-uid" },
        Spec = new V1PodSpec { RestartPolicy = restartPolicy, NodeName = "gpu-0", Containers = [new V1Container { Name = "main", Image = "worker:1" }] },
        Status = new V1PodStatus { Phase = "Pending", QosClass = "Burstable" },
    };

    private static ContainerRuntime Fresh() => new("main", "worker:1", ContainerPhase.Creating, T0);

    private static PodRuntime Runtime(params ContainerRuntime[] containers) => new("pod-uid", "gpu-0", T0, "10.244.0.2", "10.0.0.10", containers);

    private static ContainerRuntime Step(ContainerRuntime c, ImageBehaviour? b, DateTimeOffset at, string policy = "Always") =>
        ContainerLifecycle.Advance(c, b, policy, true, Options, at).State;

    [Fact]
    public void Container_runs_after_the_start_delay_and_the_pod_is_running_and_ready()
    {
        var waiting = Step(Fresh(), null, T0.AddMilliseconds(500));
        Assert.Equal(ContainerPhase.Creating, waiting.Phase);
        var pending = PodStatusBuilder.Build(Pod(), Runtime(waiting), Options, T0.AddMilliseconds(500));
        Assert.Equal("Pending", pending.Phase);
        Assert.Equal("ContainerCreating", pending.ContainerStatuses[0].State.Waiting.Reason);
        Assert.Null(pending.PodIP);

        var running = Step(waiting, null, T0.AddSeconds(1));
        var status = PodStatusBuilder.Build(Pod(), Runtime(running), Options, T0.AddSeconds(1));

        Assert.Equal("Running", status.Phase);
        Assert.Equal("10.244.0.2", status.PodIP);
        Assert.Equal("10.0.0.10", status.HostIP);
        Assert.Equal(T0.UtcDateTime, status.StartTime);
        Assert.Equal("Burstable", status.QosClass);
        Assert.Equal(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"], status.Conditions.Select(c => c.Type));
        Assert.All(status.Conditions, c => Assert.Equal("True", c.Status));
        var cs = Assert.Single(status.ContainerStatuses);
        Assert.True(cs.Ready);
        Assert.True(cs.Started);
        Assert.Equal(0, cs.RestartCount);
        Assert.Equal("docker.io/library/worker:1", cs.Image);
        Assert.StartsWith("docker.io/library/worker@sha256:", cs.ImageID, StringComparison.Ordinal);
        Assert.StartsWith("containerd://", cs.ContainerID, StringComparison.Ordinal);
        Assert.Equal(T0.AddSeconds(1).UtcDateTime, cs.State.Running.StartedAt);
    }

    [Fact]
    public void Failed_pull_shows_ErrImagePull_then_ImagePullBackOff_and_the_pod_stays_pending()
    {
        var fails = new ImageBehaviour(ImageBehaviourKind.PullFails);
        var err = Step(Fresh(), fails, T0.AddSeconds(1));
        var s1 = PodStatusBuilder.Build(Pod(), Runtime(err), Options, T0.AddSeconds(1));
        Assert.Equal("ErrImagePull", s1.ContainerStatuses[0].State.Waiting.Reason);
        Assert.Contains("failed to pull and unpack image \"docker.io/library/worker:1\"", s1.ContainerStatuses[0].State.Waiting.Message, StringComparison.Ordinal);

        var backOff = Step(err, fails, T0.AddSeconds(3));
        var s2 = PodStatusBuilder.Build(Pod(), Runtime(backOff), Options, T0.AddSeconds(3));

        Assert.Equal("ImagePullBackOff", s2.ContainerStatuses[0].State.Waiting.Reason);
        Assert.Equal("Back-off pulling image \"worker:1\"", s2.ContainerStatuses[0].State.Waiting.Message);
        Assert.Equal("Pending", s2.Phase);
        Assert.Equal("", s2.ContainerStatuses[0].ImageID);
        Assert.Contains(s2.Conditions, c => c is { Type: "Ready", Status: "False", Reason: "ContainersNotReady", Message: "containers with unready status: [main]" });
    }

    [Fact]
    public void Crashing_container_restarts_once_at_once_then_waits_in_CrashLoopBackOff_with_the_last_exit_code()
    {
        var crash = new ImageBehaviour(ImageBehaviourKind.CrashLoop, 3);
        var run1 = Step(Fresh(), crash, T0.AddSeconds(1));
        var run2 = Step(run1, crash, T0.AddSeconds(6));
        Assert.Equal(ContainerPhase.Running, run2.Phase);
        Assert.Equal(1, run2.RestartCount);

        var backOff = Step(run2, crash, T0.AddSeconds(11));
        var status = PodStatusBuilder.Build(Pod(), Runtime(backOff), Options, T0.AddSeconds(11));
        var cs = status.ContainerStatuses[0];

        Assert.Equal("Running", status.Phase);
        Assert.Equal("CrashLoopBackOff", cs.State.Waiting.Reason);
        Assert.Equal("back-off 10s restarting failed container=main pod=worker-abc-xyz_team-a(pod-uid)", cs.State.Waiting.Message);
        Assert.Equal(3, cs.LastState.Terminated.ExitCode);
        Assert.Equal("Error", cs.LastState.Terminated.Reason);
        Assert.Equal(1, cs.RestartCount);
        Assert.False(cs.Ready);

        var run3 = Step(backOff, crash, T0.AddSeconds(21));
        Assert.Equal(ContainerPhase.Running, run3.Phase);
        Assert.Equal(2, run3.RestartCount);
    }

    [Theory]
    [InlineData(0, "Succeeded", "Completed")]
    [InlineData(2, "Failed", "Error")]
    public void One_shot_exit_with_restartPolicy_Never_finishes_the_pod(int exitCode, string phase, string reason)
    {
        var exit = new ImageBehaviour(ImageBehaviourKind.Exit, exitCode);
        var running = Step(Fresh(), exit, T0.AddSeconds(1), "Never");
        var done = Step(running, exit, T0.AddSeconds(6), "Never");
        var status = PodStatusBuilder.Build(Pod("Never"), Runtime(done), Options, T0.AddSeconds(6));

        Assert.Equal(phase, status.Phase);
        var terminated = status.ContainerStatuses[0].State.Terminated;
        Assert.Equal(exitCode, terminated.ExitCode);
        Assert.Equal(reason, terminated.Reason);
        Assert.Equal(T0.AddSeconds(6).UtcDateTime, terminated.FinishedAt);
        Assert.Contains(status.Conditions, c => c is { Type: "Ready", Status: "False", Reason: "PodCompleted" });
    }

    [Fact]
    public void OnFailure_restarts_a_failed_container_but_not_a_successful_one()
    {
        var fail = new ImageBehaviour(ImageBehaviourKind.Exit, 1);
        var ok = new ImageBehaviour(ImageBehaviourKind.Exit, 0);
        var running = Step(Fresh(), fail, T0.AddSeconds(1), "OnFailure");

        Assert.Equal(ContainerPhase.Running, Step(running, fail, T0.AddSeconds(6), "OnFailure").Phase);
        Assert.Equal(1, Step(running, fail, T0.AddSeconds(6), "OnFailure").RestartCount);
        Assert.Equal(ContainerPhase.Terminated, Step(running, ok, T0.AddSeconds(6), "OnFailure").Phase);
    }

    [Fact]
    public void Long_running_containers_without_behaviour_keep_running()
    {
        var running = Step(Fresh(), null, T0.AddSeconds(1));

        var (after, next, ev) = ContainerLifecycle.Advance(running, null, "Always", true, Options, T0.AddHours(1));

        Assert.Same(running, after);
        Assert.Null(next);
        Assert.Null(ev);
    }

    [Theory]
    [InlineData("nginx", "docker.io/library/nginx:latest")]
    [InlineData("nginx:1.27", "docker.io/library/nginx:1.27")]
    [InlineData("flock/worker:2", "docker.io/flock/worker:2")]
    [InlineData("ghcr.io/flock-io/trainer:v1", "ghcr.io/flock-io/trainer:v1")]
    [InlineData("localhost:5000/x", "localhost:5000/x:latest")]
    public void Images_are_reported_by_their_fully_qualified_reference(string image, string expected)
    {
        Assert.Equal(expected, ContainerLifecycle.NormalizeImage(image));
    }

    [Theory]
    [InlineData(500, "500ms")]
    [InlineData(10_000, "10s")]
    [InlineData(90_000, "1m30s")]
    public void Back_off_durations_print_like_Go(int ms, string expected)
    {
        Assert.Equal(expected, ContainerLifecycle.GoDuration(TimeSpan.FromMilliseconds(ms)));
    }
}
