using System.Text.Json.Nodes;
using Flock.Akash.Client;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using k8s;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// A worker moved Akash → in-cluster → Akash: each backend's conditions come and go with it, the backend it leaves is
/// emptied (the deployment closed, the Deployment deleted), and Ready always summarises the conditions it owns.
/// </summary>
public sealed class BackendMoveTests : IClassFixture<AkashSandbox>
{
    private readonly AkashSandbox _sandbox;

    public BackendMoveTests(AkashSandbox sandbox) => _sandbox = sandbox;

    private Task<FlockTrainingNode> GetAsync(string ns, string name) =>
        _sandbox.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private static Condition? Condition(FlockTrainingNode node, string type) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private Task MoveAsync(string ns, string name, PlacementMode mode) =>
        _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name,
            new JsonObject { ["spec"] = new JsonObject { ["placement"] = new JsonObject { ["mode"] = mode.ToString() } } }, CancellationToken.None);

    private async Task<bool> InClusterDeploymentExistsAsync(string ns, string name) =>
        (await _sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Any(d => d.Metadata.Name == name + "-trainer");

    /// <summary>Ready's reason and message are those of a condition the pass owns (never a verdict of its own).</summary>
    private static void AssertReadySummarises(FlockTrainingNode node)
    {
        var ready = Condition(node, "Ready")!;
        Assert.Contains(node.Status!.Conditions!, c => c.Type != "Ready" && c.Reason == ready.Reason && c.Message == ready.Message);
    }

    [Fact]
    public async Task Each_backend_owns_its_conditions_and_they_follow_the_worker()
    {
        var account = await AkashTestAccount.CreateAsync(_sandbox, _sandbox.Chain, "move", "hf_move_token_5b2c08");
        var ns = account.Ns;
        await using var op = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs);
        var node = StatusWriterTests.NewNode(ns, "m1");
        node.Spec = node.Spec with
        {
            Placement = AkashTestAccount.Placement(),
        };
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
        using var chain = new AkashChainClient(new AkashClientOptions(new Uri(_sandbox.Chain.GrpcUrl), _sandbox.Chain.ChainId));

        // On Akash: LeaseActive is there.
        await Eventually.TrueAsync(async () => Condition(await GetAsync(ns, "m1"), "LeaseActive")?.Reason == "AwaitingBids", "deployment open on Akash");
        var onAkash = await GetAsync(ns, "m1");
        var firstDseq = onAkash.Status!.Akash!.Dseq!.Value;

        // In-cluster: LeaseActive goes, the deployment is closed, the Deployment exists.
        await MoveAsync(ns, "m1", PlacementMode.InCluster);
        await Eventually.TrueAsync(async () =>
        {
            var n = await GetAsync(ns, "m1");
            return n.Status?.ObservedGeneration == n.Metadata.Generation && n.Status?.Workload?.Backend == Backend.InCluster && await InClusterDeploymentExistsAsync(ns, "m1");
        }, "moved in-cluster");
        var inCluster = await GetAsync(ns, "m1");
        var afterFirstMove = await chain.ListDeploymentsAsync(account.Owner);

        // Back on Akash: LeaseActive again, the Deployment deleted, a new deployment open.
        await MoveAsync(ns, "m1", PlacementMode.Akash);
        await Eventually.TrueAsync(async () =>
        {
            var n = await GetAsync(ns, "m1");
            return n.Status?.ObservedGeneration == n.Metadata.Generation && Condition(n, "LeaseActive")?.Reason == "AwaitingBids"
                && !await InClusterDeploymentExistsAsync(ns, "m1");
        }, "back on Akash");
        var backOnAkash = await GetAsync(ns, "m1");
        var afterSecondMove = await chain.ListDeploymentsAsync(account.Owner);

        Assert.Null(Condition(inCluster, "LeaseActive"));
        Assert.Null(inCluster.Status!.Akash!.Dseq);
        Assert.Equal(DeploymentState.Closed, Assert.Single(afterFirstMove).Deployment.State);
        Assert.Equal(Backend.Akash, backOnAkash.Status!.Workload!.Backend);
        Assert.NotEqual(firstDseq, backOnAkash.Status.Akash!.Dseq);
        Assert.Single(afterSecondMove, d => d.Deployment.State == DeploymentState.Active);
        foreach (var n in new[] { onAkash, inCluster, backOnAkash })
        {
            AssertReadySummarises(n);
            KStatusRules.AssertHold(n, n.Status);
        }

        await MoveAsync(ns, "m1", PlacementMode.InCluster); // leave no open deployment behind for the fixture's other tests
    }
}
