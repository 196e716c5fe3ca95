using System.Diagnostics;
using System.Globalization;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;
using Flock.Sandbox.ApiServer;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Bench.Soak;

/// <summary>
/// Everything the soak's operator talks to, started in this process: the API server (with a simulated cluster of 8-GPU
/// nodes), the FLock API, the EVM with the stakes, the Akash chain with three simulated providers, and one namespace per Akash
/// account. The operator itself is the built binary in a child process with its own user, so its writes are its own.
/// </summary>
internal sealed class SoakWorld : IAsyncDisposable
{
    public const string OperatorUser = "soak-operator";
    public static readonly long[] ValidatorTasks = [7, 8];

    private SoakWorld(BenchSandbox sandbox, SimulatedCluster cluster, FlockApiSimulator flockApi, EvmSandbox evm, AkashChainSimulator chain)
    {
        Sandbox = sandbox;
        Cluster = cluster;
        FlockApi = flockApi;
        Evm = evm;
        Chain = chain;
    }

    public BenchSandbox Sandbox { get; }

    public SimulatedCluster Cluster { get; }

    public FlockApiSimulator FlockApi { get; }

    public EvmSandbox Evm { get; }

    public AkashChainSimulator Chain { get; }

    public SandboxApiServer Server => Sandbox.Server;

    public List<string> Namespaces { get; } = [];

    /// <summary>The Akash account of each namespace.</summary>
    public Dictionary<string, string> Owners { get; } = [];

    public ProviderFleet Providers { get; private set; } = null!;

    public AkashChainClient ChainClient { get; private set; } = null!;

    public SandboxAccount NodeStaker => Evm.Accounts[1];

    public SandboxAccount ValidatorStaker => Evm.Accounts[8];

    public static async Task<SoakWorld> StartAsync(int gpuWorkers, int namespaces)
    {
        var sandbox = new BenchSandbox(await SandboxApiServer.StartAsync(new SandboxOptions { HistorySize = 100_000, BookmarkInterval = TimeSpan.FromSeconds(1) }));
        var nodes = Enumerable.Range(0, (gpuWorkers + 7) / 8 + 2)
            .Select(i => new NodeSpec($"gpu-{i}", "a3-highgpu-8g", "208", "1872Gi", 8, "NVIDIA-H100-80GB-HBM3", 81559)).ToList();
        var cluster = await SimulatedCluster.StartAsync(sandbox.Client(), new ClusterOptions { Nodes = nodes, SchedulerRetryInterval = TimeSpan.FromSeconds(1) },
            NullLoggerFactory.Instance, new LogSink(sandbox.Server.Logs));
        var flockApi = await FlockApiSimulator.StartAsync();
        var evm = await EvmSandbox.StartAsync();
        var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(200) });
        var world = new SoakWorld(sandbox, cluster, flockApi, evm, chain);
        await world.SeedAsync(namespaces);
        return world;
    }

    private async Task SeedAsync(int namespaces)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var task in (long[])[12, .. ValidatorTasks])
        {
            FlockApi.AddTask(SimulatedTask.Open(task, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
            await Evm.CreateTaskAsync(task);
        }

        await Evm.MintAsync(NodeStaker.Address, 10_000 * EvmSandbox.OneToken);
        await Evm.StakeAsNodeAsync(NodeStaker, 12, 3000 * EvmSandbox.OneToken);
        await Evm.MintAsync(ValidatorStaker.Address, 10_000 * EvmSandbox.OneToken);
        foreach (var task in ValidatorTasks) await Evm.StakeAsValidatorAsync(ValidatorStaker, task, 3000 * EvmSandbox.OneToken);

        var client = Sandbox.Client();
        await RuntimeBenchmark.InstallCrdsAsync(client);
        ChainClient = new AkashChainClient(new AkashClientOptions(new Uri(Chain.GrpcUrl), Chain.ChainId));
        for (var i = 0; i < namespaces; i++)
        {
            var ns = $"soak-{i}";
            var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
            using (var wallet = Wallet.FromMnemonic(mnemonic))
            {
                Owners[ns] = wallet.Address;
                await Chain.FundAsync(wallet.Address, 10_000_000_000, "uakt");
                await Chain.FundAsync(wallet.Address, 10_000_000_000, "uact");
            }

            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
            foreach (var (name, data) in new (string, Dictionary<string, string>)[]
                     {
                         ("flock", new() { ["api-key"] = $"soak-key-{i}" }),
                         ("hf", new() { ["username"] = "u", ["token"] = $"hf_soak_{i}" }),
                         ("wallet", new() { ["mnemonic"] = mnemonic }),
                     })
            {
                await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = name }, StringData = data }, ns);
            }

            Namespaces.Add(ns);
        }

        // Three real simulated providers (HTTPS gateway with their certificate on chain, bid engine, manifests, lease
        // status), each big enough for every Akash worker of the soak: they bid on every order at different prices, so
        // the operator chooses, leases, sends manifests and polls lease status as it would on mainnet.
        const long Gi = 1L << 30;
        Providers = await ProviderFleet.StartAsync(Chain, Enumerable.Range(0, 3).Select(p => new SimulatedProviderOptions
        {
            Name = $"soak-provider-{p}",
            Inventory = new ProviderInventory(2_000 * 8_000L, 2_000 * 32 * Gi, 2_000 * 200 * Gi, [new GpuInventory("a100", 2_000, "80Gi", "sxm")]),
            Pricing = BidPricing.FractionOfMax(0.4m + 0.1m * p),
            FundingUakt = 100_000_000_000,
        }), new ProviderFleetOptions(PollInterval: TimeSpan.FromMilliseconds(200)));
    }

    /// <summary>Starts the operator binary as <see cref="OperatorUser"/>; its output goes to a log file.</summary>
    public Process StartOperator(int metricsPort, int healthPort, out string log)
    {
        var token = Server.RegisterUserToken(OperatorUser, ["system:masters", "system:authenticated"]);
        var kubeconfig = Server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"flock-soak-{Environment.ProcessId}.kubeconfig"), token);
        var root = Flock.Testing.RepositoryRoot.Path;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])
        [
            Path.Combine(root, "src", "Operator", "Flock.Operator", "bin", "Release", "net10.0", "flock-operator.dll"),
            "--kubeconfig", kubeconfig, "--leader-elect", "false", "--bind-address", "127.0.0.1", "--workers", "4",
            "--health-port", healthPort.ToString(CultureInfo.InvariantCulture), "--metrics-port", metricsPort.ToString(CultureInfo.InvariantCulture),
            "--Logging:LogLevel:Default=Warning", $"--Flock:ApiBaseUrl={FlockApi.BaseUrl}", "--Flock:TaskPollSeconds=30",
            $"--Staking:RpcUrl={Evm.RpcUrl}", $"--Staking:ChainId={Evm.ChainId}", $"--Staking:TaskManager={Evm.TaskManagerAddress}",
            "--Staking:Confirmations=0", "--Staking:PollSeconds=60",
            $"--Akash:GrpcUrl={Chain.GrpcUrl}", $"--Akash:ChainId={Chain.ChainId}", "--Akash:PollSeconds=5", "--Akash:TxPollSeconds=0.2", "--Akash:BidWindowBlocks=2",
        ])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        var process = Process.Start(info)!;
        log = Path.Combine(Path.GetTempPath(), $"flock-soak-operator-{process.Id}.log");
        var writer = new StreamWriter(log) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (writer) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public async ValueTask DisposeAsync()
    {
        ChainClient?.Dispose();
        if (Providers is not null) await Providers.DisposeAsync();
        await Chain.DisposeAsync();
        await Evm.DisposeAsync();
        await FlockApi.DisposeAsync();
        await Cluster.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private sealed class LogSink(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
