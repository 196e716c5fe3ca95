using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Tests.Support;
using k8s.Models;

namespace Flock.KubectlPlugin.Tests;

/// <summary>`kubectl flock logs`: the worker pod's log through the API server; Akash workers need a node to find their provider.</summary>
[Collection(PluginCollection.Name)]
public sealed class LogsTests(PluginWorld world) : IAsyncLifetime
{
    private const string Ns = "logs";

    public Task InitializeAsync() => world.SeedOnceAsync(nameof(LogsTests), SeedAsync);

    private async Task SeedAsync()
    {
        await world.CreateNamespaceAsync(Ns);
        await world.CreateAsync(Resources.TrainingNodes, Ns, Resources.TrainingNode("worker", Ns),
            new FlockTrainingNodeStatus { Phase = Phase.Running, Workload = new WorkloadStatus { Backend = Backend.InCluster, Ready = true } });
        await world.CreateAsync(Resources.TrainingNodes, Ns, Resources.TrainingNode("waiting", Ns),
            new FlockTrainingNodeStatus { Phase = Phase.AwaitingStake });
        await world.CreateAsync(Resources.TrainingNodes, Ns, Resources.TrainingNode("remote", Ns, "Akash"), new FlockTrainingNodeStatus
        {
            Phase = Phase.Running,
            Workload = new WorkloadStatus { Backend = Backend.Akash },
            Akash = new AkashStatus { Provider = "akash1u5cdg7k3gl43mukca4aeultuz8x2j68mgwn28e", Dseq = 4242, Gseq = 1, Oseq = 1 },
        });

        // The worker's pod as the Deployment creates it (labels of the operator's selector), and its log.
        using var client = world.Client();
        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "worker-trainer-7d9f-x2k4",
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/name"] = "flock-training-node", ["app.kubernetes.io/instance"] = "worker" },
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "trainer", Image = "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash" }] },
        }, Ns);
        foreach (var i in Enumerable.Range(1, 5)) world.Server.Logs.Append(Ns, "worker-trainer-7d9f-x2k4", "trainer", $"epoch {i} loss 0.{9 - i}");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<ProcessResult> LogsAsync(params string[] args) =>
        PluginWorld.PluginAsync(["logs", .. args, "-n", Ns, "--kubeconfig", world.ViewerKubeconfig]);

    [Fact]
    public async Task In_cluster_worker_log_comes_from_its_pod()
    {
        var all = await LogsAsync("worker");
        var tail = await LogsAsync("worker", "--tail", "2");

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal(string.Concat(Enumerable.Range(1, 5).Select(i => $"epoch {i} loss 0.{9 - i}\n")), all.StdOut);
        Assert.Equal("epoch 4 loss 0.5\nepoch 5 loss 0.4\n", tail.StdOut);
    }

    [Fact]
    public async Task Kubectl_flock_logs_streams_through_the_plugin_binary()
    {
        var result = await world.KubectlAsync(["flock", "logs", "worker", "--tail", "1", "-n", Ns], world.KubectlPluginEnvironment());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("epoch 5 loss 0.4\n", result.StdOut);
    }

    [Fact]
    public async Task Akash_worker_without_a_node_to_ask_says_what_to_give()
    {
        var result = await LogsAsync("remote");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.StdOut);
        Assert.Contains("runs on Akash provider akash1u5cdg7k3gl43mukca4aeultuz8x2j68mgwn28e", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--akash-node", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_without_a_pod_says_so()
    {
        var result = await LogsAsync("waiting");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("has no worker pod yet (phase AwaitingStake)", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_negative_tail_is_refused()
    {
        var result = await LogsAsync("worker", "--tail", "-3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--tail must be 0 or more", result.StdErr, StringComparison.Ordinal);
    }
}
