using Flock.Sandbox.Cluster.Controllers;
using k8s.Models;

namespace Flock.Cluster.Tests.Unit;

public class DeploymentStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static V1Deployment Deployment(int replicas = 1, string strategy = "RollingUpdate", long generation = 1) => new()
    {
        Metadata = new V1ObjectMeta { Name = "worker", NamespaceProperty = "default", Uid = "d-uid", Generation = generation },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Strategy = new V1DeploymentStrategy { Type = strategy },
            ProgressDeadlineSeconds = 600,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "worker" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "worker:1" }] },
            },
        },
    };

    private static V1ReplicaSet ReplicaSet(string name, int spec, int replicas, int ready, int available) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Uid = name + "-uid" },
        Spec = new V1ReplicaSetSpec { Replicas = spec },
        Status = new V1ReplicaSetStatus { Replicas = replicas, ReadyReplicas = ready, AvailableReplicas = available },
    };

    [Fact]
    public void New_rollout_without_available_pods_is_unavailable_and_reports_the_created_replica_set()
    {
        var d = Deployment();
        var rs = ReplicaSet("worker-abc", 1, 1, 0, 0);

        var status = DeploymentStatusCalculator.Calculate(d, [rs], rs, DeploymentStatusCalculator.NewReplicaSetEvent.Created, Now);

        Assert.Equal(1, status.ObservedGeneration);
        Assert.Equal(1, status.Replicas);
        Assert.Equal(1, status.UpdatedReplicas);
        Assert.Equal(0, status.AvailableReplicas);
        Assert.Equal(1, status.UnavailableReplicas);
        var available = Assert.Single(status.Conditions, c => c.Type == "Available");
        Assert.Equal(("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability."), (available.Status, available.Reason, available.Message));
        var progressing = Assert.Single(status.Conditions, c => c.Type == "Progressing");
        Assert.Equal(("True", "NewReplicaSetCreated", "Created new replica set \"worker-abc\""), (progressing.Status, progressing.Reason, progressing.Message));
        Assert.Equal(["Available", "Progressing"], status.Conditions.Select(c => c.Type));
    }

    [Fact]
    public void Complete_rollout_is_available_with_NewReplicaSetAvailable()
    {
        var d = Deployment();
        var rs = ReplicaSet("worker-abc", 1, 1, 1, 1);

        var status = DeploymentStatusCalculator.Calculate(d, [rs], rs, DeploymentStatusCalculator.NewReplicaSetEvent.None, Now);

        Assert.Equal(0, status.UnavailableReplicas);
        Assert.Equal(1, status.ReadyReplicas);
        Assert.Contains(status.Conditions, c => c is { Type: "Available", Status: "True", Reason: "MinimumReplicasAvailable", Message: "Deployment has minimum availability." });
        Assert.Contains(status.Conditions, c => c is { Type: "Progressing", Status: "True", Reason: "NewReplicaSetAvailable" } &&
                                                c.Message == "ReplicaSet \"worker-abc\" has successfully progressed.");
    }

    [Fact]
    public void Old_pods_still_running_keep_the_rollout_incomplete_and_count_as_replicas()
    {
        var d = Deployment(strategy: "Recreate", generation: 2);
        var old = ReplicaSet("worker-old", 0, 1, 1, 1);
        var fresh = ReplicaSet("worker-new", 1, 0, 0, 0);
        d.Status = new V1DeploymentStatus
        {
            Conditions = [new V1DeploymentCondition { Type = "Progressing", Status = "True", Reason = "NewReplicaSetAvailable", Message = "ReplicaSet \"worker-old\" has successfully progressed." }],
        };

        var status = DeploymentStatusCalculator.Calculate(d, [old, fresh], fresh, DeploymentStatusCalculator.NewReplicaSetEvent.None, Now);

        Assert.Equal(1, status.Replicas);
        Assert.Equal(0, status.UpdatedReplicas);
        Assert.Equal(2, status.ObservedGeneration);
        Assert.Contains(status.Conditions, c => c is { Type: "Progressing", Reason: "FoundNewReplicaSet" } && c.Message == "Found new replica set \"worker-new\"");
    }

    [Fact]
    public void Progress_deadline_exceeded_turns_Progressing_false()
    {
        var d = Deployment();
        var rs = ReplicaSet("worker-abc", 1, 1, 0, 0);
        d.Status = new V1DeploymentStatus
        {
            ObservedGeneration = 1,
            Replicas = 1,
            UpdatedReplicas = 1,
            Conditions =
            [
                new V1DeploymentCondition
                {
                    Type = "Progressing", Status = "True", Reason = "ReplicaSetUpdated", Message = "ReplicaSet \"worker-abc\" is progressing.",
                    LastUpdateTime = Now.AddMinutes(-11).UtcDateTime, LastTransitionTime = Now.AddMinutes(-11).UtcDateTime,
                },
            ],
        };

        var status = DeploymentStatusCalculator.Calculate(d, [rs], rs, DeploymentStatusCalculator.NewReplicaSetEvent.None, Now);

        Assert.Contains(status.Conditions, c => c is { Type: "Progressing", Status: "False", Reason: "ProgressDeadlineExceeded" } &&
                                                c.Message == "ReplicaSet \"worker-abc\" has timed out progressing.");
    }

    [Theory]
    [InlineData(1, "25%", "25%", 1, 0)]
    [InlineData(4, "25%", "25%", 1, 1)]
    [InlineData(10, "25%", "25%", 3, 2)]
    [InlineData(3, "0", "0", 0, 1)]
    [InlineData(3, "2", "1", 2, 1)]
    public void Rolling_parameters_round_surge_up_and_unavailable_down(int replicas, string surge, string unavailable, int expectedSurge, int expectedUnavailable)
    {
        var d = Deployment(replicas);
        d.Spec.Strategy.RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = surge, MaxUnavailable = unavailable };

        Assert.Equal((expectedSurge, expectedUnavailable), DeploymentStatusCalculator.RollingParameters(d));
    }

    [Fact]
    public void Recreate_tolerates_no_unavailability()
    {
        Assert.Equal(0, DeploymentStatusCalculator.MaxUnavailable(Deployment(4, "Recreate")));
        Assert.Equal(0, DeploymentStatusCalculator.MaxSurge(Deployment(4, "Recreate")));
    }

    [Fact]
    public void Pod_template_hash_is_stable_ignores_its_own_label_and_changes_with_the_template()
    {
        var a = Deployment().Spec.Template;
        var b = Deployment().Spec.Template;
        b.Metadata.Labels[PodTemplateHash.Label] = "whatever";
        var c = Deployment().Spec.Template;
        c.Spec.Containers[0].Image = "worker:2";

        var hash = PodTemplateHash.Compute(a, null);

        Assert.Equal(hash, PodTemplateHash.Compute(Deployment().Spec.Template, null));
        Assert.True(PodTemplateHash.EqualIgnoringHash(a, b));
        Assert.False(PodTemplateHash.EqualIgnoringHash(a, c));
        Assert.NotEqual(hash, PodTemplateHash.Compute(c, null));
        Assert.NotEqual(hash, PodTemplateHash.Compute(a, 1));
        Assert.All(hash, ch => Assert.Contains(ch, "bcdfghjklmnpqrstvwxz2456789"));
    }

    [Fact]
    public void Replica_set_status_counts_ready_and_available_pods_and_waits_for_min_ready_seconds()
    {
        var rs = ReplicaSet("worker-abc", 2, 0, 0, 0);
        rs.Metadata.Generation = 3;
        rs.Spec.MinReadySeconds = 30;
        rs.Spec.Template = new V1PodTemplateSpec { Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "worker" } } };
        V1Pod ReadyPod(DateTimeOffset since) => new()
        {
            Metadata = new V1ObjectMeta { Name = "p", Labels = new Dictionary<string, string> { ["app"] = "worker" } },
            Status = new V1PodStatus
            {
                Phase = "Running",
                Conditions = [new V1PodCondition { Type = "Ready", Status = "True", LastTransitionTime = since.UtcDateTime }],
            },
        };

        var (status, next) = ReplicaSetController.Status(rs, [ReadyPod(Now.AddMinutes(-1)), ReadyPod(Now.AddSeconds(-10))], null, Now);

        Assert.Equal(2, status.Replicas);
        Assert.Equal(2, status.FullyLabeledReplicas);
        Assert.Equal(2, status.ReadyReplicas);
        Assert.Equal(1, status.AvailableReplicas);
        Assert.Equal(3, status.ObservedGeneration);
        Assert.Equal(Now.AddSeconds(20), next);
    }
}
