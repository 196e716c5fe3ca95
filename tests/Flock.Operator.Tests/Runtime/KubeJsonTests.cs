using System.Text.Json;
using Flock.Crds;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;

namespace Flock.Operator.Tests.Runtime;

/// <summary>
/// The runtime's JSON: the Kubernetes conventions alone (what the static <see cref="KubeSerializer"/> uses, e.g. to
/// compare a status) write the FLock resources exactly as the operator's own options do, and a client given options
/// uses them.
/// </summary>
public sealed class KubeJsonTests
{
    private static FlockTrainingNode Node()
    {
        var node = StatusWriterTests.NewNode("default", "json");
        node.Status = new FlockTrainingNodeStatus
        {
            ObservedGeneration = 3,
            Phase = Phase.Running,
            // Times finer than a second: both must write them as metav1.Time does.
            Conditions = ConditionSet.Set(null, "Ready", ConditionStatus.True, "Running", "ok", 3, new DateTimeOffset(2026, 11, 25, 7, 0, 0, 750, TimeSpan.Zero)),
            Staking = new StakingStatus { Address = "0xabc", Amount = "3000", Block = 12, LastSync = new DateTimeOffset(2026, 11, 25, 8, 0, 0, 250, TimeSpan.FromHours(2)) },
            Task = new FlockTaskStatus { Id = 12, Title = "t", LastSync = DateTimeOffset.UnixEpoch },
        };
        return node;
    }

    [Fact]
    public void The_conventions_write_and_read_the_flock_resources_as_their_own_options_do()
    {
        var node = Node();
        var own = JsonSerializer.Serialize(node, FlockJson.Options);

        var conventions = KubeSerializer.Serialize(node);

        Assert.Equal(own, conventions);
        Assert.Equal(own, JsonSerializer.Serialize(KubeSerializer.Deserialize<FlockTrainingNode>(own), FlockJson.Options));
    }

    [Fact]
    public void A_client_uses_the_options_it_is_given()
    {
        var options = KubeJsonConventions.Options();
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        var json = new KubeJson(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.KebabCaseLower;

        var written = json.ToNode(new FlockTaskStatus { Id = 1, MaxParams = 7 });

        // The options were frozen when the KubeJson was made: the later change does not reach it.
        Assert.Equal(7, written["max_params"]!.GetValue<long>());
    }
}
