using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;
using OrderState = Flock.Akash.Protos.MarketV1Beta5.Order.Types.State;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// A user's story the crash suite kills the operator in: create a resource, see it Running, delete it, see it gone.
/// One instance per run, in its own namespace (and Akash account). <see cref="All"/> is the list of flows; a new
/// flow is one more entry.
/// </summary>
public abstract class CrashFlow(ResilienceSandbox sandbox, string ns)
{
    protected ResilienceSandbox Sandbox => sandbox;

    public string Namespace => ns;

    public abstract IWorker Worker { get; }

    /// <summary>The Akash account that signs this flow's transactions, if any.</summary>
    public virtual string? AkashOwner => null;

    /// <summary>Operator settings this flow needs on top of the sandbox's (both processes of a run get them).</summary>
    public virtual IReadOnlyList<string> OperatorArgs => [];

    /// <summary>Secret values this run puts into Secrets (for the secret scan).</summary>
    protected string ApiKey { get; } = $"flock-key-{Guid.NewGuid():N}";

    protected string HfToken { get; } = $"hf_{Guid.NewGuid():N}";

    public static IReadOnlyList<(string Name, Func<ResilienceSandbox, string, BiddingProvider, CrashFlow> Create)> All { get; } =
    [
        ("in-cluster training node", (s, ns, _) => new InClusterTrainingFlow(s, ns)),
        ("validator on two tasks", (s, ns, _) => new ValidatorFlow(s, ns)),
        ("Akash training node", (s, ns, p) => new AkashTrainingFlow(s, ns, p)),
        ("Akash training node whose first order gets no bid", (s, ns, p) => new AkashTrainingFlow(s, ns, p, firstOrderUnanswered: true)),
    ];

    /// <summary>Namespace and Secrets.</summary>
    public virtual async Task PrepareAsync()
    {
        var client = sandbox.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "flock" }, StringData = new Dictionary<string, string> { ["api-key"] = ApiKey } }, ns);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "hf" }, StringData = new Dictionary<string, string> { ["username"] = "u", ["token"] = HfToken } }, ns);
    }

    /// <summary>Is the worker up as it would be without a crash? (May act as the outside world does meanwhile: a provider bids.)</summary>
    public virtual async Task<bool> IsUpAsync() => (await Worker.ReadAsync())?.IsRunning == true;

    /// <summary>The invariants of a running worker: its children, its chain objects.</summary>
    public abstract Task AssertUpAsync();

    /// <summary>Once the resource is gone: nothing of it is left anywhere.</summary>
    public abstract Task<bool> IsCleanAsync();

    public virtual Task AssertCleanAsync() => Task.CompletedTask;

    protected static Credentials Credentials => new()
    {
        FlockApiKey = new SecretKeySelector { Name = "flock", Key = "api-key" },
        HuggingFace = new HuggingFaceCredentials { SecretName = "hf" },
    };
}

/// <summary>An in-cluster worker: a Deployment and a cache claim owned by the resource.</summary>
public abstract class InClusterFlow(ResilienceSandbox sandbox, string ns) : CrashFlow(sandbox, ns)
{
    public override async Task AssertUpAsync()
    {
        var client = Sandbox.Client();
        var uid = (await Worker.ReadAsync())!.Metadata.Uid;
        var deployment = Assert.Single((await client.AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items);
        var claim = Assert.Single((await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace)).Items);
        Assert.Equal(Worker.WorkloadName, deployment.Metadata.Name);
        Assert.Equal(Worker.WorkloadName + "-cache", claim.Metadata.Name);
        Assert.Equal(uid, Assert.Single(deployment.Metadata.OwnerReferences).Uid);
        Assert.Equal(uid, Assert.Single(claim.Metadata.OwnerReferences).Uid);
        Assert.Empty((await client.BatchV1.ListNamespacedJobAsync(Namespace)).Items);
    }

    public override async Task<bool> IsCleanAsync()
    {
        var client = Sandbox.Client();
        return (await client.AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items.Count == 0
            && (await client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace)).Items.Count == 0
            && (await client.BatchV1.ListNamespacedJobAsync(Namespace)).Items.Count == 0
            && (await client.CoreV1.ListNamespacedPodAsync(Namespace)).Items.Count == 0;
    }
}

public sealed class InClusterTrainingFlow : InClusterFlow
{
    public InClusterTrainingFlow(ResilienceSandbox sandbox, string ns) : base(sandbox, ns) =>
        Worker = new WorkerHandle<FlockTrainingNode>(sandbox, FlockKinds.TrainingNode, StatusWriterTests.NewNode(ns, "trainer", sandbox.Staker.Address, StakeGate.Required));

    public override IWorker Worker { get; }
}

public sealed class ValidatorFlow : InClusterFlow
{
    public ValidatorFlow(ResilienceSandbox sandbox, string ns) : base(sandbox, ns) =>
        Worker = new WorkerHandle<FlockValidator>(sandbox, FlockKinds.Validator, new FlockValidator
        {
            Metadata = new V1ObjectMeta { Name = "validator", NamespaceProperty = ns },
            Spec = new FlockValidatorSpec
            {
                TaskIds = ResilienceSandbox.ValidatorTasks,
                Credentials = Credentials,
                Staking = new StakingSpec { Address = sandbox.ValidatorStaker.Address, Gate = StakeGate.Required },
            },
        });

    public override IWorker Worker { get; }
}

/// <summary>
/// A training node on Akash: a deployment, a provider's bid, a lease; deleting it closes the deployment. Exactly one
/// deployment and at most one active lease per resource, and every deposit comes back. With
/// <c>firstOrderUnanswered</c> nobody bids on the first deployment: the operator gives its order up (decides, then
/// closes: the deposit comes back), waits out the backoff and opens a second deployment, which is bid on and leased —
/// still one open deployment at a time, and nothing held by the closed one.
/// </summary>
public sealed class AkashTrainingFlow : CrashFlow
{
    private readonly BiddingProvider _provider;
    private readonly string _mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString();
    private readonly HashSet<(ulong, uint)> _bids = [];
    private readonly string _owner;
    private readonly bool _firstOrderUnanswered;
    private long? _firstDseq;

    public AkashTrainingFlow(ResilienceSandbox sandbox, string ns, BiddingProvider provider, bool firstOrderUnanswered = false) : base(sandbox, ns)
    {
        _provider = provider;
        _firstOrderUnanswered = firstOrderUnanswered;
        using (var wallet = Wallet.FromMnemonic(_mnemonic)) _owner = wallet.Address;
        var node = StatusWriterTests.NewNode(ns, "akash", sandbox.Staker.Address, StakeGate.Required);
        node.Spec = node.Spec with
        {
            Resources = node.Spec.Resources with { Gpu = node.Spec.Resources.Gpu with { Models = ["a100"] } },
            Placement = new PlacementSpec
            {
                Mode = PlacementMode.Akash,
                Akash = new AkashPlacement
                {
                    AccountSecretRef = new SecretKeySelector { Name = "wallet", Key = "mnemonic" },
                    MaxPrice = new AkashCoin { Denom = AkashDenom.Uact, Amount = "1000" },
                    Deposit = new AkashCoin { Denom = AkashDenom.Uact, Amount = "5000000" },
                },
            },
        };
        Worker = new WorkerHandle<FlockTrainingNode>(sandbox, FlockKinds.TrainingNode, node);
    }

    public override IWorker Worker { get; }

    public override string? AkashOwner => _owner;

    // A short wait for bids and a short backoff, so the give-up happens within the run.
    public override IReadOnlyList<string> OperatorArgs =>
        _firstOrderUnanswered ? ["--Akash:OrderTimeoutSeconds=2", "--Akash:ReorderBackoffSeconds=1", "--Akash:ReorderBackoffMaxSeconds=1"] : [];

    public override async Task PrepareAsync()
    {
        await base.PrepareAsync();
        await Sandbox.Client().CoreV1.CreateNamespacedSecretAsync(
            new V1Secret { Metadata = new V1ObjectMeta { Name = "wallet" }, StringData = new Dictionary<string, string> { ["mnemonic"] = _mnemonic } }, Namespace);
        await Sandbox.Chain.FundAsync(_owner, 50_000_000, "uakt");
        await Sandbox.Chain.FundAsync(_owner, 50_000_000, "uact");
    }

    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(Sandbox.Chain.GrpcUrl), Sandbox.Chain.ChainId));

    /// <summary>Running with a lease; meanwhile the provider bids once on every open order of the resource's deployment.</summary>
    public override async Task<bool> IsUpAsync()
    {
        var view = await Worker.ReadAsync();
        if (view?.Status?.Akash is { Dseq: { } dseq, LeaseState: "awaiting-bids" } && !(_firstOrderUnanswered && (_firstDseq ??= dseq) == dseq))
        {
            using var chain = Chain();
            foreach (var order in await chain.ListOrdersAsync(_owner, (ulong)dseq, "open"))
            {
                if (order.State == OrderState.Open && _bids.Add(((ulong)dseq, order.Id.Oseq))) await _provider.BidAsync(_owner, (ulong)dseq, "500", order.Id.Oseq);
            }
        }

        return view?.IsRunning == true && view.Condition("LeaseActive")?.Status == ConditionStatus.True;
    }

    public override async Task AssertUpAsync()
    {
        using var chain = Chain();
        var deployments = await chain.ListDeploymentsAsync(_owner);
        var deployment = Assert.Single(deployments, d => d.Deployment.State == DeploymentState.Active);
        if (_firstOrderUnanswered)
        {
            // The given-up deployments are closed without a lease, and each deposit came back whole.
            var closed = deployments.Where(d => d.Deployment.State == DeploymentState.Closed).ToList();
            Assert.Contains(closed, d => (long)d.Deployment.Id.Dseq == _firstDseq);
            foreach (var d in closed) Assert.Empty(await chain.ListLeasesAsync(_owner, d.Deployment.Id.Dseq));
            var sheet = Sandbox.Chain.BalanceSheet(_owner);
            Assert.True(sheet.Balances, sheet.ToString());
            Assert.Equal(5_000_000 * closed.Count, Flock.Sandbox.AkashChain.BalanceSheet.Units(sheet.Refunded));
        }
        else
        {
            Assert.Single(deployments);
        }

        Assert.Equal((ulong)(await Worker.ReadAsync())!.Status!.Akash!.Dseq!.Value, deployment.Deployment.Id.Dseq);
        Assert.Single(await chain.ListLeasesAsync(_owner, deployment.Deployment.Id.Dseq), l => l.Lease.State == LeaseState.Active);
        // Nothing of the worker in the cluster.
        Assert.Empty((await Sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items);
    }

    public override async Task<bool> IsCleanAsync()
    {
        using var chain = Chain();
        return (await chain.ListDeploymentsAsync(_owner)).All(d => d.Deployment.State == DeploymentState.Closed);
    }

    public override async Task AssertCleanAsync()
    {
        using var chain = Chain();
        var deployments = await chain.ListDeploymentsAsync(_owner);
        if (_firstOrderUnanswered) Assert.True(deployments.Count >= 2, $"{deployments.Count} deployments");
        else Assert.Single(deployments);
        foreach (var deployment in deployments)
        {
            Assert.Equal(DeploymentState.Closed, deployment.Deployment.State);
            Assert.DoesNotContain(await chain.ListLeasesAsync(_owner, deployment.Deployment.Id.Dseq), l => l.Lease.State == LeaseState.Active);
        }

        var sheet = Sandbox.Chain.BalanceSheet(_owner);
        Assert.True(sheet.Balances, sheet.ToString());
        Assert.Equal(0, sheet.HeldInEscrow);
        Assert.Empty((await Sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(Namespace)).Items);
        Assert.Empty((await Sandbox.Client().CoreV1.ListNamespacedPersistentVolumeClaimAsync(Namespace)).Items);
    }
}
