using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Status;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Integration;

/// <summary>Status is written only when it changed, and a storm of 409s still converges.</summary>
public sealed class StatusWriterTests : IClassFixture<Sandbox>
{
    private readonly Sandbox _sandbox;

    public StatusWriterTests(Sandbox sandbox) => _sandbox = sandbox;

    /// <summary>A training node on task 12 whose stake is only observed (the stake-gate tests set Required).</summary>
    internal static FlockTrainingNode NewNode(string ns, string name, string? address = null, StakeGate gate = StakeGate.Observe) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new FlockTrainingNodeSpec
        {
            TaskId = 12,
            Credentials = new Credentials
            {
                FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
                HuggingFace = new HuggingFaceCredentials { SecretName = "hf" },
            },
            Staking = new StakingSpec { Address = address ?? "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", Gate = gate },
        },
    };

    private static FlockTrainingNodeStatus StatusWithPhase(Phase phase) => new()
    {
        ObservedGeneration = 1,
        Phase = phase,
        Conditions = ConditionSet.Set(null, "Ready", ConditionStatus.False, "Provisioning", "starting", 1, DateTimeOffset.UnixEpoch),
    };

    [Fact]
    public async Task Unchanged_status_is_not_written_and_a_409_storm_converges()
    {
        await _sandbox.InstallCrdsAsync();
        var rest = _sandbox.Rest();
        var kind = FlockKinds.TrainingNode;
        var node = await rest.CreateAsync(kind.Resource, "default", NewNode("default", "status-" + Guid.NewGuid().ToString("N")[..6]), CancellationToken.None);
        var writer = new StatusWriter(rest);

        var first = await writer.WriteAsync(kind.Resource, node, StatusWithPhase(Phase.Provisioning), kind.GetStatus, kind.SetStatus, CancellationToken.None);
        var writesAfterFirst = writer.Writes;
        var again = await writer.WriteAsync(kind.Resource, first, StatusWithPhase(Phase.Provisioning), kind.GetStatus, kind.SetStatus, CancellationToken.None);

        // Someone else changes the object, then the next writes meet conflicts.
        await rest.MergePatchAsync<FlockTrainingNode>(kind.Resource, "default", node.Metadata.Name,
            new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["labels"] = new System.Text.Json.Nodes.JsonObject { ["x"] = "y" } } },
            CancellationToken.None);
        _sandbox.Server.Faults.ConflictNextWrites(3);
        var afterStorm = await writer.WriteAsync(kind.Resource, again, StatusWithPhase(Phase.Running), kind.GetStatus, kind.SetStatus, CancellationToken.None);
        var stored = await rest.GetAsync<FlockTrainingNode>(kind.Resource, "default", node.Metadata.Name, CancellationToken.None);

        Assert.Equal(1, writesAfterFirst);
        Assert.Equal(first.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
        Assert.Equal(Phase.Running, stored.Status!.Phase);
        Assert.Equal(Phase.Running, afterStorm.Status!.Phase);
        Assert.Equal(2, writer.Writes);
        Assert.Equal(0, _sandbox.Server.Faults.PendingConflicts);
    }

    [Fact]
    public async Task A_conflict_computes_the_status_again_from_the_fresh_object()
    {
        await _sandbox.InstallCrdsAsync();
        var rest = _sandbox.Rest();
        var kind = FlockKinds.TrainingNode;
        var stale = await rest.CreateAsync(kind.Resource, "default", NewNode("default", "fresh-" + Guid.NewGuid().ToString("N")[..6]), CancellationToken.None);
        stale = await new StatusWriter(rest).WriteAsync(kind.Resource, stale, StatusWithPhase(Phase.Provisioning), kind.GetStatus, kind.SetStatus, CancellationToken.None);

        // Another writer adds its own condition after our copy was read: our write meets a 409.
        var theirs = k8s.KubernetesJson.Deserialize<FlockTrainingNode>(k8s.KubernetesJson.Serialize(stale));
        theirs.Status = theirs.Status! with
        {
            Conditions = ConditionSet.Set(theirs.Status.Conditions, "example.com/Audited", ConditionStatus.True, "Audited", "by a policy engine", 1, DateTimeOffset.UnixEpoch),
        };
        await rest.ReplaceStatusAsync(kind.Resource, "default", stale.Metadata.Name, theirs, CancellationToken.None);
        var seenBy = new List<string?>();
        var written = await new StatusWriter(rest).WriteAsync(kind.Resource, stale, current =>
        {
            seenBy.Add(current.Metadata.ResourceVersion);
            var status = StatusWithPhase(Phase.Running);
            var foreign = current.Status?.Conditions?.Where(c => c.Type.Contains('/', StringComparison.Ordinal)) ?? [];
            return status with { Conditions = [.. status.Conditions!, .. foreign] };
        }, kind.GetStatus, kind.SetStatus, CancellationToken.None);

        Assert.Equal(2, seenBy.Count); // computed on the stale object, then again on the fresh one
        Assert.NotEqual(seenBy[0], seenBy[1]);
        Assert.Equal(Phase.Running, written.Status!.Phase);
        Assert.Contains(written.Status.Conditions!, c => c.Type == "example.com/Audited");
    }
}
