using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Akash.Crypto;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;
using Flock.Sandbox.ApiServer;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Sandbox.Host;

/// <summary>
/// Everything the operator talks to, for `make run`: a simulated cluster (two GPU nodes and a CPU
/// node) on the API server, the FLock API with the sample tasks open and the samples' API key accepted, and a real EVM (ganache) with the
/// task-manager contract. The demo validator's wallet is staked on its tasks; the demo training node's
/// wallet is not, so the demo shows AwaitingStake until `make stake` sends the stake. An Akash chain (a block a
/// second) with three providers bidding different prices, and a funded Akash account for the Akash sample.
/// </summary>
internal sealed class DemoWorld : IAsyncDisposable
{
    private static readonly long[] TrainingTasks = [12];
    private static readonly long[] ValidatorTasks = [7, 8, 9];

    private DemoWorld(SimulatedCluster cluster, FlockApiSimulator flockApi, EvmSandbox evm, AkashChainSimulator chain, ProviderFleet providers, string akashOwner)
    {
        Cluster = cluster;
        FlockApi = flockApi;
        Evm = evm;
        Chain = chain;
        Providers = providers;
        AkashOwner = akashOwner;
    }

    public AkashChainSimulator Chain { get; }
    public ProviderFleet Providers { get; }

    /// <summary>The demo Akash account (its mnemonic is only in akash.json, mode 0600).</summary>
    public string AkashOwner { get; }

    public SimulatedCluster Cluster { get; }
    public FlockApiSimulator FlockApi { get; }
    public EvmSandbox Evm { get; }

    /// <summary>The wallet the training-node sample stakes with (not staked at start).</summary>
    public SandboxAccount Trainer => Evm.Accounts[1];

    /// <summary>The wallet the validator sample stakes with (staked on tasks 7, 8 and 9 at start).</summary>
    public SandboxAccount Validator => Evm.Accounts[2];

    public static async Task<DemoWorld> StartAsync(SandboxApiServer server, string stateDir)
    {
        var cluster = await SimulatedCluster.StartAsync(server.CreateClient(), new ClusterOptions
        {
            Kubelet = new KubeletOptions { StartDelay = TimeSpan.FromSeconds(2) },
        }, NullLoggerFactory.Instance, new LogSink(server.Logs));
        var flockApi = await FlockApiSimulator.StartAsync();
        DemoCredentials.Register(flockApi);
        var now = DateTimeOffset.UtcNow;
        foreach (var task in TrainingTasks.Concat(ValidatorTasks))
        {
            flockApi.AddTask(SimulatedTask.Open(task, now, TimeSpan.FromDays(30), TimeSpan.FromDays(2)));
        }

        var evm = await EvmSandbox.StartAsync(new EvmSandboxOptions { BlockTimeSeconds = 1 });
        var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromSeconds(1) });
        var providers = await ProviderFleet.StartAsync(chain,
        [
            new SimulatedProviderOptions { Name = "provider-west", Pricing = BidPricing.Fixed(4_200), StartDelay = TimeSpan.FromSeconds(3) },
            new SimulatedProviderOptions
            {
                Name = "provider-east", Pricing = BidPricing.Fixed(3_100), StartDelay = TimeSpan.FromSeconds(3),
                Attributes = new Dictionary<string, string> { ["host"] = "akash", ["region"] = "us-east" },
                Inventory = ProviderInventory.WithGpus(new GpuInventory("a100", 4, "80Gi", "sxm")),
            },
            new SimulatedProviderOptions { Name = "provider-eu", Pricing = BidPricing.Fixed(5_000), StartDelay = TimeSpan.FromSeconds(3),
                Attributes = new Dictionary<string, string> { ["host"] = "akash", ["region"] = "eu-central" } },
        ]);
        var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
        using var wallet = Wallet.FromMnemonic(mnemonic);
        await chain.FundAsync(wallet.Address, 100_000_000, "uakt");
        await chain.FundAsync(wallet.Address, 100_000_000, "uact");
        WritePrivate(Path.Combine(stateDir, "akash.json"), new JsonObject { ["owner"] = wallet.Address, ["mnemonic"] = mnemonic });
        var world = new DemoWorld(cluster, flockApi, evm, chain, providers, wallet.Address);
        foreach (var task in TrainingTasks.Concat(ValidatorTasks)) await evm.CreateTaskAsync(task);
        foreach (var account in new[] { world.Trainer, world.Validator }) await evm.MintAsync(account.Address, 100_000 * EvmSandbox.OneToken);
        foreach (var task in ValidatorTasks) await evm.StakeAsValidatorAsync(world.Validator, task, 3000 * EvmSandbox.OneToken);
        WriteKeys(Path.Combine(stateDir, "evm.json"), evm);
        return world;
    }

    /// <summary>What endpoints.json gains in demo mode (no keys: those are only in evm.json, mode 0600).</summary>
    public void Describe(JsonObject endpoints)
    {
        endpoints["flockApiUrl"] = FlockApi.BaseUrl;
        endpoints["evm"] = new JsonObject
        {
            ["rpcUrl"] = Evm.RpcUrl,
            ["chainId"] = Evm.ChainId,
            ["taskManager"] = Evm.TaskManagerAddress,
            ["trainerAddress"] = Trainer.Address,
            ["validatorAddress"] = Validator.Address,
        };
        endpoints["akash"] = new JsonObject
        {
            ["grpcUrl"] = Chain.GrpcUrl,
            ["chainId"] = Chain.ChainId,
            ["owner"] = AkashOwner,
            ["providers"] = new JsonArray([.. Providers.Providers.Select(p => (JsonNode)new JsonObject { ["name"] = p.Name, ["address"] = p.Address, ["hostUri"] = p.HostUri.ToString() })]),
        };
    }

    // The same shape as `flock-evm up` writes, so `flock-evm stake --key-file .sandbox/evm.json --account 1` works.
    private static void WriteKeys(string path, EvmSandbox evm)
    {
        var json = new JsonObject
        {
            ["rpcUrl"] = evm.RpcUrl,
            ["chainId"] = evm.ChainId,
            ["taskManager"] = evm.TaskManagerAddress,
            ["token"] = evm.TokenAddress,
            ["tasks"] = new JsonArray([.. TrainingTasks.Concat(ValidatorTasks).Select(t => (JsonNode)t)]),
            ["accounts"] = new JsonArray([.. evm.Accounts.Select(a => (JsonNode)new JsonObject { ["address"] = a.Address, ["privateKey"] = a.PrivateKey })]),
        };
        WritePrivate(path, json);
    }

    private static void WritePrivate(string path, JsonObject json)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteTo(writer);
    }

    public async ValueTask DisposeAsync()
    {
        await Providers.DisposeAsync();
        await Chain.DisposeAsync();
        await Cluster.DisposeAsync();
        await FlockApi.DisposeAsync();
        await Evm.DisposeAsync();
    }

    private sealed class LogSink(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
