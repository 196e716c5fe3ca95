using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;
using Flock.Sandbox.Evm;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// One fault test's corner of the sandbox: a namespace with credentials, an in-process operator that watches only it
/// under its own identity (so faults can target it alone), and the log of every status it writes.
/// </summary>
public sealed class FaultScene : IAsyncDisposable
{
    private readonly ResilienceSandbox _sandbox;

    private readonly string[] _operatorArgs;

    private FaultScene(ResilienceSandbox sandbox, string ns, OperatorIdentity identity, StatusLog log, OperatorHarness op, string[] operatorArgs)
    {
        _sandbox = sandbox;
        _operatorArgs = operatorArgs;
        Namespace = ns;
        Identity = identity;
        Log = log;
        Operator = op;
    }

    public string Namespace { get; }

    public OperatorIdentity Identity { get; }

    public StatusLog Log { get; }

    public OperatorHarness Operator { get; private set; }

    public static async Task<FaultScene> StartAsync(ResilienceSandbox sandbox, string prefix, params string[] extraArgs)
    {
        var ns = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        var client = sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = $"flock-key-{Guid.NewGuid():N}" } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = $"hf_{Guid.NewGuid():N}" } }, ns);
        var identity = OperatorIdentity.Create(sandbox, prefix);
        var log = new StatusLog(sandbox, identity.User, ns);
        string[] args = [.. sandbox.OperatorArgs, .. identity.Args, "--watch-namespaces", ns, "--Logging:LogLevel:Default=Information", .. extraArgs];
        var op = await OperatorHarness.StartAsync(sandbox, args);
        return new FaultScene(sandbox, ns, identity, log, op, args);
    }

    /// <summary>Stops the operator and starts a new one under the same identity: a pod restart, memory lost, status kept.</summary>
    public async Task RestartOperatorAsync()
    {
        await Operator.DisposeAsync();
        Operator = await OperatorHarness.StartAsync(_sandbox, _operatorArgs);
    }

    public IWorker TrainingNode(string name, SandboxAccount? staker = null) =>
        new WorkerHandle<FlockTrainingNode>(_sandbox, FlockKinds.TrainingNode, StatusWriterTests.NewNode(Namespace, name, (staker ?? _sandbox.Staker).Address, StakeGate.Required));

    public IWorker Validator(string name) => new WorkerHandle<FlockValidator>(_sandbox, FlockKinds.Validator, new FlockValidator
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new FlockValidatorSpec
        {
            TaskIds = ResilienceSandbox.ValidatorTasks,
            Credentials = new Credentials { FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" }, HuggingFace = new HuggingFaceCredentials { SecretName = "hf" } },
            Staking = new StakingSpec { Address = _sandbox.ValidatorStaker.Address, Gate = StakeGate.Required },
        },
    });

    /// <summary>A training node on Akash paying from a fresh account (funded as given) whose mnemonic goes into Secret "wallet".</summary>
    public async Task<(IWorker Worker, string Owner)> AkashNodeAsync(string name, ulong uact = 50_000_000, ulong uakt = 50_000_000, string deposit = "5000000")
    {
        var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
        string owner;
        using (var wallet = Wallet.FromMnemonic(mnemonic)) owner = wallet.Address;
        await _sandbox.Client().CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = $"wallet-{name}" }, StringData = new Dictionary<string, string> { ["mnemonic"] = mnemonic } }, Namespace);
        if (uakt > 0) await _sandbox.Chain.FundAsync(owner, uakt, "uakt");
        if (uact > 0) await _sandbox.Chain.FundAsync(owner, uact, "uact");
        var node = StatusWriterTests.NewNode(Namespace, name, _sandbox.Staker.Address, StakeGate.Required);
        node.Spec = node.Spec with
        {
            Resources = node.Spec.Resources with { Gpu = node.Spec.Resources.Gpu with { Models = ["a100"] } },
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = $"wallet-{name}", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                    Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = deposit },
                },
            },
        };
        return (new WorkerHandle<FlockTrainingNode>(_sandbox, FlockKinds.TrainingNode, node), owner);
    }

    public static Task UntilAsync(IWorker worker, Func<WorkerView, bool> condition, string what) =>
        Eventually.TrueAsync(async () => await worker.ReadAsync() is { } view && condition(view), $"{worker.Name}: {what}", TimeSpan.FromSeconds(90));

    public static Task RunningAsync(IWorker worker) => UntilAsync(worker, v => v.IsRunning, "Running");

    public static Task GoneAsync(IWorker worker) =>
        Eventually.TrueAsync(async () => await worker.ReadAsync() is null, $"{worker.Name}: deleted", TimeSpan.FromSeconds(90));

    public async ValueTask DisposeAsync()
    {
        _sandbox.Server.Faults.Reset();
        _sandbox.Server.Faults.Targets = null;
        try
        {
            // Whatever the test left is deleted while the operator still runs (its finalizer closes deployments).
            var rest = _sandbox.Rest();
            foreach (var item in (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, Namespace, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items)
            {
                await rest.DeleteAsync(FlockKinds.TrainingNode.Resource, Namespace, item.Metadata.Name, CancellationToken.None);
            }

            foreach (var item in (await rest.ListAsync<FlockValidator>(FlockKinds.Validator.Resource, Namespace, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items)
            {
                await rest.DeleteAsync(FlockKinds.Validator.Resource, Namespace, item.Metadata.Name, CancellationToken.None);
            }

            await Eventually.TrueAsync(async () => (await _sandbox.Client().CoreV1.ListNamespacedPodAsync(Namespace)).Items.Count == 0
                && (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, Namespace, new Flock.Operator.Runtime.Client.ListOptions(), CancellationToken.None)).Items.Count == 0,
                "the scene cleaned up", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await Operator.DisposeAsync();
            Log.Dispose();
        }
    }
}
