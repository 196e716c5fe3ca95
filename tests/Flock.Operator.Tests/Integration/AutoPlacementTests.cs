using System.Text.Json.Nodes;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.Cluster;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;

namespace Flock.Operator.Tests.Integration;

/// <summary>The sandbox with a simulated cluster of one A100 node (one GPU) and the Akash chain simulator.</summary>
public sealed class AutoSandbox : Sandbox
{
    public SimulatedCluster Cluster { get; private set; } = null!;
    public AkashChainSimulator Chain { get; private set; } = null!;

    public string[] OperatorArgs => [$"--Akash:GrpcUrl={Chain.GrpcUrl}", $"--Akash:ChainId={Chain.ChainId}", "--Akash:PollSeconds=1", "--Akash:TxPollSeconds=0.1"];

    protected override async Task StartExtrasAsync()
    {
        Chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(100) });
        Cluster = await SimulatedCluster.StartAsync(Client(),
            new ClusterOptions { Nodes = [NodeSpec.A100("gpu-a100-0"), NodeSpec.CpuNode("cpu-0")], SchedulerRetryInterval = TimeSpan.FromMilliseconds(500) },
            NullLoggerFactory.Instance);
    }

    protected override async Task StopExtrasAsync()
    {
        await Cluster.DisposeAsync();
        await Chain.DisposeAsync();
    }
}

/// <summary>
/// placement.mode Auto: in-cluster while a node has a free GPU of the wanted model, on Akash otherwise; the status says
/// why, a worker never runs in both places, and a spec change moves it back when the GPU is free again.
/// </summary>
public sealed class AutoPlacementTests : IClassFixture<AutoSandbox>
{
    private readonly AutoSandbox _sandbox;

    public AutoPlacementTests(AutoSandbox sandbox) => _sandbox = sandbox;

    private Task<FlockTrainingNode?> TryGetAsync(string ns, string name) =>
        _sandbox.Rest().TryGetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, name, CancellationToken.None);

    private async Task<bool> HasInClusterWorkloadAsync(string ns, string name) =>
        (await _sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(ns)).Items.Any(d => d.Metadata.Labels?["app.kubernetes.io/instance"] == name);

    [Fact]
    public async Task Auto_runs_in_cluster_on_a_free_gpu_else_on_akash_and_moves_back_when_asked()
    {
        var account = await AkashTestAccount.CreateAsync(_sandbox, _sandbox.Chain, "auto", "hf_auto");
        var ns = account.Ns;
        var client = _sandbox.Client();
        await using var op = await OperatorHarness.StartAsync(_sandbox, _sandbox.OperatorArgs);

        // The first worker takes the only A100.
        await CreateAsync(ns, "first");
        await Eventually.TrueAsync(async () => (await TryGetAsync(ns, "first"))?.Status?.Phase == Phase.Running, "first worker running in-cluster");
        var first = (await TryGetAsync(ns, "first"))!.Status!.Workload!;
        Assert.Equal(Backend.InCluster, first.Backend);
        Assert.Contains("node gpu-a100-0 has 1 free a100 GPU(s)", first.PlacementReason);

        // The second finds no free A100 and goes to Akash, without any in-cluster workload.
        await CreateAsync(ns, "second");
        await Eventually.TrueAsync(async () => (await TryGetAsync(ns, "second"))?.Status?.Akash?.LeaseState == "awaiting-bids", "second worker deployed on Akash");
        var second = (await TryGetAsync(ns, "second"))!.Status!;
        Assert.Equal(Backend.Akash, second.Workload!.Backend);
        Assert.Contains("Auto: on Akash, 1 node(s) have a100 GPUs but none has 1 free", second.Workload.PlacementReason);
        Assert.False(await HasInClusterWorkloadAsync(ns, "second"));
        var dseq = (ulong)second.Akash!.Dseq!.Value;

        // The A100 frees up; a spec change asks again, and the worker leaves Akash for the cluster.
        await _sandbox.Rest().DeleteAsync(FlockKinds.TrainingNode.Resource, ns, "first", CancellationToken.None);
        await Eventually.TrueAsync(async () => await TryGetAsync(ns, "first") is null && !(await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Any(), "first worker and its pod gone");
        await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "second",
            new JsonObject { ["spec"] = new JsonObject { ["resources"] = new JsonObject { ["memory"] = "32Gi" } } }, CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(async () => (await TryGetAsync(ns, "second"))?.Status is { Phase: Phase.Running, Workload.Backend: Backend.InCluster }, "second worker back in-cluster");
        }
        catch (TimeoutException e)
        {
            // What the operator and the cluster last said, to tell a slow machine from a stuck placement.
            var status = (await TryGetAsync(ns, "second"))?.Status;
            var pods = (await client.CoreV1.ListNamespacedPodAsync(ns)).Items.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} {string.Join(",", p.Status?.Conditions?.Select(c => $"{c.Type}={c.Status}/{c.Reason}") ?? [])}");
            throw new TimeoutException($"{e.Message}; status: phase {status?.Phase}, backend {status?.Workload?.Backend}, placed at {status?.Workload?.PlacedGeneration} ({status?.Workload?.PlacementReason}), " +
                $"akash {status?.Akash?.LeaseState}/{status?.Akash?.Dseq}, conditions {string.Join("; ", status?.Conditions?.Select(c => $"{c.Type}={c.Status}/{c.Reason}: {c.Message}") ?? [])}; " +
                $"pods: {string.Join(" | ", pods)}; operator warnings: {string.Join(" | ", op.Logs.Lines.Where(l => !l.StartsWith("Information", StringComparison.Ordinal) && !l.StartsWith("Debug", StringComparison.Ordinal)).TakeLast(5))}", e);
        }

        Assert.Contains("node gpu-a100-0", (await TryGetAsync(ns, "second"))!.Status!.Workload!.PlacementReason);

        // A pass that does not see its own last status write (its cache behind) asks again where to run. Its own pod's
        // GPU is its own: it stays in the cluster, and it never runs in both places (it once went to Akash as well).
        await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "second",
            new JsonObject { ["status"] = new JsonObject { ["workload"] = new JsonObject { ["placedGeneration"] = null, ["placementReason"] = null } } }, CancellationToken.None, "status");
        // (A status change alone does not wake the controller; an annotation does, as a child's event would.)
        await _sandbox.Rest().MergePatchAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, "second",
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["test/poke"] = "1" } } }, CancellationToken.None);
        await Eventually.TrueAsync(async () => (await TryGetAsync(ns, "second"))?.Status?.Workload?.PlacedGeneration is not null, "placed again");
        var replaced = (await TryGetAsync(ns, "second"))!.Status!;
        Assert.Equal((Backend.InCluster, Phase.Running), (replaced.Workload!.Backend!.Value, replaced.Phase!.Value));
        Assert.Contains("node gpu-a100-0 has 1 free a100 GPU(s)", replaced.Workload.PlacementReason);
        Assert.True(await HasInClusterWorkloadAsync(ns, "second"));
        using var chain = new AkashChainClient(new AkashClientOptions(new Uri(_sandbox.Chain.GrpcUrl), _sandbox.Chain.ChainId));
        var deployment = await chain.GetDeploymentAsync(account.Owner, dseq);
        Assert.Equal(DeploymentState.Closed, deployment!.Deployment.State);
        Assert.DoesNotContain(await chain.ListDeploymentsAsync(account.Owner), d => d.Deployment.State == DeploymentState.Active);
        Assert.True(_sandbox.Chain.BalanceSheet(account.Owner).Balances);
        Assert.Null((await TryGetAsync(ns, "second"))!.Status!.Akash!.Dseq);
    }

    private Task<FlockTrainingNode> CreateAsync(string ns, string name)
    {
        var node = StatusWriterTests.NewNode(ns, name);
        node.Spec = node.Spec with
        {
            Resources = node.Spec.Resources with { Gpu = node.Spec.Resources.Gpu with { Count = 1, Models = ["a100"] } },
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Auto,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                },
            },
        };
        return _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, ns, node, CancellationToken.None);
    }
}
