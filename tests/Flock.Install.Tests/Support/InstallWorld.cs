using Flock.Sandbox.ApiServer;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Install.Tests.Support;

/// <summary>The install tests share one world and run one after another: each runs its own operators and stops them.</summary>
[CollectionDefinition(Name)]
public sealed class InstallCollection : ICollectionFixture<InstallWorld>
{
    public const string Name = "install";
}

/// <summary>
/// Everything an installed operator talks to: the sandbox API server (RBAC enforced for service-account
/// tokens), a simulated cluster with two 8-GPU nodes and a CPU node, the FLock API with tasks 7, 8, 9 and 12
/// open, and a real EVM where <see cref="Trainer"/> is staked on task 12 and <see cref="Validator"/> on 7, 8 and 9.
/// </summary>
public sealed class InstallWorld : IAsyncLifetime
{
    private static readonly long[] ValidatorTasks = [7, 8, 9];

    public SandboxApiServer Server { get; private set; } = null!;
    public SimulatedCluster Cluster { get; private set; } = null!;
    public FlockApiSimulator FlockApi { get; private set; } = null!;
    public EvmSandbox Evm { get; private set; } = null!;

    public SandboxAccount Trainer => Evm.Accounts[1];
    public SandboxAccount Validator => Evm.Accounts[2];

    /// <summary>Private directory: kubeconfigs, helm and kubectl caches.</summary>
    public string Dir { get; } = Directory.CreateTempSubdirectory("flock-install-").FullName;

    public string AdminKubeconfig => Path.Combine(Dir, "admin.kubeconfig");

    /// <summary>helm and kubectl as the cluster admin (who installs the chart and applies the samples).</summary>
    internal Cli Admin => new(AdminKubeconfig, Dir);

    public Kubernetes Client() => Server.CreateClient();

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxOptions
        {
            BookmarkInterval = TimeSpan.FromMilliseconds(500),
            PublishRootCaConfigMap = true,
            GarbageCollectionInterval = TimeSpan.FromMilliseconds(500),
        });
        Server.WriteKubeconfig(AdminKubeconfig);
        NodeSpec Gpu(string name) => new(name, "a3-highgpu-8g", "208", "1872Gi", 8, "NVIDIA-H100-80GB-HBM3", 81559);
        Cluster = await SimulatedCluster.StartAsync(Server.CreateClient(), new ClusterOptions
        {
            Nodes = [Gpu("gpu-a"), Gpu("gpu-b"), NodeSpec.CpuNode("cpu-a")],
            SchedulerRetryInterval = TimeSpan.FromMilliseconds(500),
        }, NullLoggerFactory.Instance, new LogSink(Server.Logs));
        FlockApi = await FlockApiSimulator.StartAsync();
        Evm = await EvmSandbox.StartAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var task in ValidatorTasks.Append(12))
        {
            FlockApi.AddTask(SimulatedTask.Open(task, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
            await Evm.CreateTaskAsync(task);
        }

        foreach (var account in new[] { Trainer, Validator }) await Evm.MintAsync(account.Address, 100_000 * EvmSandbox.OneToken);
        await Evm.StakeAsNodeAsync(Trainer, 12, 3000 * EvmSandbox.OneToken);
        foreach (var task in ValidatorTasks) await Evm.StakeAsValidatorAsync(Validator, task, 3000 * EvmSandbox.OneToken);
    }

    /// <summary>
    /// `helm install` of the chart (CRDs included) configured for this world's FLock API and chain; extra
    /// arguments go to helm (--set …).
    /// </summary>
    internal async Task<ChartRelease> InstallAsync(string release, string @namespace, params string[] extra)
    {
        var result = await Admin.HelmAsync(
        [
            "install", release, Repo.Chart, "--namespace", @namespace, "--create-namespace",
            "--set", $"flock.apiBaseUrl={FlockApi.BaseUrl}",
            "--set", $"staking.rpcUrl={Evm.RpcUrl}", "--set", $"staking.chainId={Evm.ChainId}",
            "--set", $"staking.taskManager={Evm.TaskManagerAddress}", "--set", "staking.confirmations=0",
            .. extra,
        ]);
        Cli.Ok(result);
        return new ChartRelease(this, release, @namespace);
    }

    public async Task CreateNamespaceAsync(string name)
    {
        using var client = Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
    }

    /// <summary>`kubectl apply` of a sample from config/samples into a namespace, with this world's staked wallet in place of the placeholder address.</summary>
    public async Task ApplySampleAsync(string file, string @namespace)
    {
        var wallet = file.Contains("validator", StringComparison.Ordinal) ? Validator : Trainer;
        var yaml = (await File.ReadAllTextAsync(Path.Combine(Repo.Samples, file)))
            .Replace("0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", wallet.Address, StringComparison.Ordinal);
        Cli.Ok(await Admin.KubectlWithInputAsync(yaml, "apply", "-n", @namespace, "-f", "-"));
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await FlockApi.DisposeAsync();
        await Evm.DisposeAsync();
        await Server.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }

    private sealed class LogSink(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
