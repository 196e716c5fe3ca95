using System.Security.Cryptography;
using System.Text;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Akash.ProviderApi;
using Flock.Akash.Sdl;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>A deployment created on chain: its dseq and the compiled SDL (manifest JSON and version).</summary>
public sealed record TestDeployment(ulong Dseq, CompiledSdl Sdl);

/// <summary>
/// A chain simulator producing blocks every 100 ms, simulated providers on it, and the operator's side: an owner
/// wallet, its <see cref="AkashChainClient"/> and <see cref="TxSubmitter"/> (our own signed transactions) and a
/// <see cref="ProviderClient"/>.
/// </summary>
public sealed class World : IAsyncDisposable
{
    public const string SecretApiKey = "flock-api-key-7c1d1f0b9e2a";
    public static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(100);
    private static int _nextDseq = 1000;

    private World(AkashChainSimulator chain, ProviderFleet fleet, Wallet owner, string ownerMnemonic)
    {
        Chain = chain;
        Fleet = fleet;
        Owner = owner;
        OwnerMnemonic = ownerMnemonic;
        Client = new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId, TimeSpan.FromSeconds(15)));
        Submitter = new TxSubmitter(Client, new SigningLanes(), new TxSubmitterOptions(PollInterval: TimeSpan.FromMilliseconds(20), InclusionTimeout: TimeSpan.FromSeconds(30)));
    }

    public AkashChainSimulator Chain { get; }

    public ProviderFleet Fleet { get; }

    public AkashChainClient Client { get; }

    public TxSubmitter Submitter { get; }

    public ProviderClient Api { get; } = new(new ProviderClientOptions(RequestTimeout: TimeSpan.FromSeconds(20), ConnectTimeout: TimeSpan.FromSeconds(5)));

    /// <summary>The lease owner (the operator's account).</summary>
    public Wallet Owner { get; }

    public string OwnerMnemonic { get; }

    /// <summary>Scoped JWT auth of the owner, what the operator uses.</summary>
    public ProviderAuth Jwt => ProviderAuth.Jwt(Owner, JwtScopes.Operator);

    public SimulatedProvider this[string name] => Fleet[name];

    public static async Task<World> StartAsync(params SimulatedProviderOptions[] providers)
    {
        var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions(BlockInterval: BlockInterval));
        try
        {
            var fleet = await ProviderFleet.StartAsync(chain, providers);
            var (owner, mnemonic) = NewWallet("owner-" + Guid.NewGuid());
            await chain.FundAsync(owner.Address, [AkashMessages.Coin(50_000_000, "uakt"), AkashMessages.Coin(100_000_000, "uact")]);
            return new World(chain, fleet, owner, mnemonic);
        }
        catch
        {
            await chain.DisposeAsync();
            throw;
        }
    }

    /// <summary>A wallet from a fresh mnemonic (for a second owner, an impostor, …).</summary>
    public static (Wallet Wallet, string Mnemonic) NewWallet(string seed)
    {
        var entropy = SHA256.HashData(Encoding.UTF8.GetBytes(seed))[..16];
        var mnemonic = new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, entropy).ToString();
        return (Wallet.FromMnemonic(mnemonic), mnemonic);
    }

    /// <summary>A FLock-like worker SDL compiled and deployed with MsgCreateDeployment signed by the owner.</summary>
    public async Task<TestDeployment> DeployAsync(string price = "10000", IReadOnlyList<string>? gpuModels = null, Wallet? owner = null, Func<WorkerSdlRequest, WorkerSdlRequest>? customize = null)
    {
        owner ??= Owner;
        var request = new WorkerSdlRequest
        {
            ServiceName = "flock-train",
            Image = "public.ecr.aws/e7z6j8c3/flock:training-quickstart-akash",
            Env = [new SdlEnvVar("FLOCK_API_KEY", SecretApiKey), new SdlEnvVar("TASK_ID", "7")],
            GpuModels = gpuModels ?? ["h100"],
            PriceAmount = price,
        };
        var sdl = SdlRenderer.Compile(customize is null ? request : customize(request));
        var dseq = (ulong)Interlocked.Increment(ref _nextDseq);
        await Submitter.SubmitAsync(owner, [AkashMessages.CreateDeployment(owner.Address, dseq, sdl.Groups, sdl.Version, AkashMessages.Coin(20_000_000, "uact"))]);
        return new TestDeployment(dseq, sdl);
    }

    /// <summary>Waits until at least <paramref name="count"/> open bids are on the deployment's order.</summary>
    public Task<IReadOnlyList<QueryBidResponse>> BidsAsync(ulong dseq, int count, Wallet? owner = null) =>
        Eventually.ValueAsync(async () =>
        {
            var bids = await Client.ListBidsAsync((owner ?? Owner).Address, dseq, "open");
            return bids.Count >= count ? bids : null;
        }, $"{count} open bids on dseq {dseq}");

    /// <summary>MsgCreateLease on the cheapest open bid once <paramref name="bidders"/> bids are in; returns the lease id.</summary>
    public async Task<LeaseID> LeaseCheapestAsync(ulong dseq, int bidders)
    {
        var bids = await BidsAsync(dseq, bidders);
        var cheapest = bids.OrderBy(b => decimal.Parse(LegacyDec.FromWire(b.Bid.Price.Amount), System.Globalization.CultureInfo.InvariantCulture)).First().Bid;
        await Submitter.SubmitAsync(Owner, [AkashMessages.CreateLease(cheapest.Id)]);
        return AkashMessages.LeaseOf(cheapest.Id);
    }

    /// <summary>What the operator knows of a provider: host_uri and pinned certificates from the chain.</summary>
    public Task<ProviderEndpoint> EndpointAsync(string provider) => ProviderEndpoint.ResolveAsync(Client, provider);

    /// <summary>Generates and publishes an mTLS certificate for <paramref name="wallet"/> (the owner by default).</summary>
    public async Task<ClientCertificate> PublishCertificateAsync(Wallet? wallet = null, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        wallet ??= Owner;
        var certificate = ClientCertificate.Create(wallet.Address, notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5), notAfter);
        await Submitter.SubmitAsync(wallet, [CertMessages.Create(wallet.Address, certificate)]);
        return certificate;
    }

    /// <summary>The chain's view of a lease.</summary>
    public async Task<Lease?> LeaseAsync(LeaseID id) =>
        (await Client.ListLeasesAsync(id.Owner, id.Dseq)).Select(l => l.Lease).FirstOrDefault(l => l.Id.Provider == id.Provider && l.Id.Oseq == id.Oseq);

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Fleet.DisposeAsync();
        Client.Dispose();
        Owner.Dispose();
        await Chain.DisposeAsync();
    }
}
