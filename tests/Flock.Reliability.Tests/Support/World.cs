using System.Security.Cryptography.X509Certificates;
using Flock.Operator.Runtime.Client;
using Flock.Sandbox.ApiServer;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Reliability.Tests.Support;

/// <summary>
/// Everything outside the operator, simulated on loopback: an HTTPS API server with the committed CRDs, a cluster
/// (three H100 and three A100 GPU nodes, a CPU node, scheduler, controllers, kubelets), the FLock API with open task 12 and
/// closed task 13, and an EVM whose task manager knows tasks 12 and 13, where <see cref="Staker"/> is staked as a
/// training node on task 12.
/// </summary>
public sealed class World : IAsyncLifetime
{
    public SandboxApiServer Server { get; private set; } = null!;

    public FlockApiSimulator FlockApi { get; private set; } = null!;

    public EvmSandbox Evm { get; private set; } = null!;

    public SimulatedCluster Cluster { get; private set; } = null!;

    public SandboxAccount Staker => Evm.Accounts[1];

    /// <summary>Staked as a validator on task 12 (the wrong role for a training node).</summary>
    public SandboxAccount ValidatorStaker => Evm.Accounts[2];

    /// <summary>Funded but staked nowhere.</summary>
    public SandboxAccount Unstaked => Evm.Accounts[3];

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxOptions { BookmarkInterval = TimeSpan.FromMilliseconds(500) });
        Evm = await EvmSandbox.StartAsync();
        foreach (var task in new long[] { 12, 13 }) await Evm.CreateTaskAsync(task);
        foreach (var account in new[] { Staker, ValidatorStaker, Unstaked }) await Evm.MintAsync(account.Address, 100_000 * EvmSandbox.OneToken);
        await Evm.StakeAsNodeAsync(Staker, 12, 3000 * EvmSandbox.OneToken);
        await Evm.StakeAsValidatorAsync(ValidatorStaker, 12, 3000 * EvmSandbox.OneToken);
        FlockApi = await FlockApiSimulator.StartAsync();
        var now = DateTimeOffset.UtcNow;
        FlockApi.AddTask(SimulatedTask.Open(12, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        FlockApi.AddTask(SimulatedTask.Open(13, now.AddDays(-3), TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        // Six GPU nodes: every worker a test runs at once gets its own GPU.
        var nodes = NodeSpec.Demo().Concat(Enumerable.Range(1, 2).SelectMany(i => new[] { NodeSpec.H100($"gpu-h100-{i}"), NodeSpec.A100($"gpu-a100-{i}") })).ToList();
        Cluster = await SimulatedCluster.StartAsync(Client(), new ClusterOptions { Nodes = nodes, SchedulerRetryInterval = TimeSpan.FromMilliseconds(500) },
            NullLoggerFactory.Instance, new LogSink(Server.Logs));
        await InstallCrdsAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Evm.DisposeAsync();
        await FlockApi.DisposeAsync();
        await Server.DisposeAsync();
    }

    public Kubernetes Client() => new(new KubernetesClientConfiguration
    {
        Host = Server.Url,
        AccessToken = Server.AdminToken,
        SslCaCerts = new X509Certificate2Collection(Server.CaCertificate),
    });

    public KubeRestClient Rest() => Flock.Operator.OperatorClient.Create(Client());

    public string WriteKubeconfig() =>
        Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"flock-reliability-{Guid.NewGuid():N}.kubeconfig"));

    private async Task InstallCrdsAsync()
    {
        var client = Client();
        foreach (var file in Directory.GetFiles(RepoPaths.CrdBases, "*.yaml"))
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(file));
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            await Eventually.TrueAsync(async () =>
            {
                var stored = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name);
                return stored.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
            }, () => $"CRD {crd.Metadata.Name} Established");
        }
    }

    private sealed class LogSink(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
