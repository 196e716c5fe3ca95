using System.Diagnostics;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Workers;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using k8s;
using k8s.Models;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;
using static Flock.Bench.BenchProbes;

namespace Flock.Bench;

/// <summary>
/// Issue 9's figures: N Akash training nodes (10 paying accounts) applied at once to the operator, on the chain
/// simulator (a block every 200 ms) with five simulated providers: blocks and transactions from apply to an active
/// lease with the manifest delivered and the worker ready; then one provider goes down and the time and blocks until
/// every worker it held runs on another provider.
/// </summary>
internal static class AkashBenchmark
{
    private const int Accounts = 10;

    public static async Task RunAsync(int resources)
    {
        await using var sandbox = await BenchSandbox.StartAsync();
        var client = sandbox.Client();
        await using var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(200) });
        await using var fleet = await ProviderFleet.StartAsync(chain, Enumerable.Range(0, 5).Select(i => new SimulatedProviderOptions
        {
            Name = $"p{i}",
            Pricing = BidPricing.Fixed(1_000 + 100 * i),
            // Room for every worker on every provider (8 cores, 24Gi, 100Gi and one H100 each), so a provider loss can be absorbed.
            Inventory = new ProviderInventory(resources * 8_000L, resources * (24L << 30), resources * (100L << 30), [new GpuInventory("h100", resources, "80Gi", "sxm")]),
        }));
        await using var flockApi = await FlockApiSimulator.StartAsync();
        flockApi.AddTask(SimulatedTask.Open(12, DateTimeOffset.UtcNow, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
        await using var evm = await EvmSandbox.StartAsync();
        await evm.CreateTaskAsync(12);
        await RuntimeBenchmark.InstallCrdsAsync(client);
        const string ns = "bench-akash";
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = "k" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = "t" } }, ns);
        var owners = new List<string>();
        for (var a = 0; a < Accounts; a++)
        {
            var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
            using var wallet = Wallet.FromMnemonic(mnemonic);
            owners.Add(wallet.Address);
            await chain.FundAsync(wallet.Address, 1_000_000_000, "uakt");
            await chain.FundAsync(wallet.Address, 1_000_000_000, "uact");
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = $"wallet-{a}" }, StringData = new Dictionary<string, string> { ["mnemonic"] = mnemonic } }, ns);
        }

        var kubeconfig = Path.Combine(Path.GetTempPath(), $"flock-bench-akash-{Environment.ProcessId}.kubeconfig");
        sandbox.Server.WriteKubeconfig(kubeconfig);
        await using var app = OperatorApplication.Build(
        [
            "--kubeconfig", kubeconfig, "--leader-elect", "false", "--bind-address", "127.0.0.1", "--health-port", "0", "--metrics-port", "0",
            "--Logging:LogLevel:Default=Warning", $"--Flock:ApiBaseUrl={flockApi.BaseUrl}", $"--Staking:RpcUrl={evm.RpcUrl}",
            $"--Staking:ChainId={evm.ChainId}", $"--Staking:TaskManager={evm.TaskManagerAddress}", "--Staking:Confirmations=0",
            $"--Akash:GrpcUrl={chain.GrpcUrl}", $"--Akash:ChainId={chain.ChainId}", "--Akash:PollSeconds=1", "--Akash:TxPollSeconds=0.2",
            "--Akash:BidWindowBlocks=5", "--Akash:ProviderGraceSeconds=5",
        ], (services, configuration) => services.AddFlockWorkers(configuration));
        await app.StartAsync();

        var rest = Flock.Operator.OperatorClient.Create(client);
        var report = new Report($"Akash: {resources} training nodes ({Accounts} accounts) applied at once → lease active and worker ready (5 simulated providers, 200 ms blocks, bid window 5 blocks)");
        var startHeight = chain.Height;
        var wall = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, resources), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await rest.CreateAsync(FlockKinds.TrainingNode.Resource, ns, Node(ns, $"a{i}", i % Accounts), ct));
        await WaitAsync(async () => (await ListAsync(rest, ns)).Count(n => n.Status?.Phase == Phase.Running) == resources, TimeSpan.FromMinutes(20));
        wall.Stop();
        report.Add($"apply → all {resources} Running", wall.Elapsed.TotalSeconds, "s");
        report.Add("blocks from apply to the last lease", $"{chain.Height - startHeight:N0}");

        using var akash = new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId));
        var blocksToLease = new List<double>();
        foreach (var owner in owners)
        {
            foreach (var deployment in await akash.ListDeploymentsAsync(owner))
            {
                var lease = (await akash.ListLeasesAsync(owner, deployment.Deployment.Id.Dseq)).Select(l => l.Lease).First(l => l.State == LeaseState.Active);
                blocksToLease.Add(lease.CreatedAt - deployment.Deployment.CreatedAt);
            }
        }

        blocksToLease.Sort();
        long txs = 0;
        var deployments = 0;
        foreach (var owner in owners)
        {
            txs += (long)(await akash.GetAccountAsync(owner)).Sequence;
            deployments += (await akash.ListDeploymentsAsync(owner)).Count;
        }

        report.Add("deployments on chain (one per resource)", $"{deployments}");

        report.Add("blocks from deployment to lease per resource (p50 / p95 / max)",
            $"{Report.Percentile(blocksToLease, 50):N0} / {Report.Percentile(blocksToLease, 95):N0} / {blocksToLease[^1]:N0}");
        report.Add("transactions per resource to a running worker", $"{txs / (double)resources:N2} (MsgCreateDeployment + MsgCreateLease)");

        // Provider loss: the provider holding the most leases goes down.
        var running = await ListAsync(rest, ns);
        var victim = fleet.Providers.OrderByDescending(p => running.Count(n => n.Status?.Akash?.Provider == p.Address)).First();
        var affected = running.Where(n => n.Status?.Akash?.Provider == victim.Address).Select(n => n.Metadata.Name).ToHashSet();
        var lossHeight = chain.Height;
        var relet = Stopwatch.StartNew();
        await victim.SetDownAsync(true);
        await WaitAsync(async () => (await ListAsync(rest, ns)).Where(n => affected.Contains(n.Metadata.Name))
            .All(n => n.Status?.Phase == Phase.Running && n.Status.Akash?.Provider != victim.Address), TimeSpan.FromMinutes(10));
        relet.Stop();
        report.Add($"provider loss: {affected.Count} workers re-leased elsewhere (grace period 5 s included)", relet.Elapsed.TotalSeconds, "s");
        report.Add("provider loss: blocks until the last re-lease", $"{chain.Height - lossHeight:N0}");
        long activeLeases = 0;
        foreach (var owner in owners)
        {
            foreach (var deployment in await akash.ListDeploymentsAsync(owner))
            {
                activeLeases += (await akash.ListLeasesAsync(owner, deployment.Deployment.Id.Dseq, "active")).Count;
            }
        }

        report.Add("active leases after the re-lease (one per resource)", $"{activeLeases}");
        report.Print();
        await app.StopAsync();
        File.Delete(kubeconfig);
    }

    private static async Task<IReadOnlyList<FlockTrainingNode>> ListAsync(KubeRestClient rest, string ns) =>
        (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items;

    private static FlockTrainingNode Node(string ns, string name, int account) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new FlockTrainingNodeSpec
        {
            TaskId = 12,
            Credentials = new Credentials { FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" }, HuggingFace = new HuggingFaceCredentials { SecretName = "hf" } },
            Staking = new StakingSpec { Address = "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", Gate = StakeGate.Observe },
            Resources = new WorkerResources { Gpu = new GpuSpec { Count = 1, Models = ["h100"] }, Cpu = "8", Memory = "24Gi" },
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = $"wallet-{account}", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "2000" },
                    Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                },
            },
        },
    };
}
