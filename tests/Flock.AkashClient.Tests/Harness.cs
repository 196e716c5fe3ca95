using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Sandbox.AkashChain;

namespace Flock.AkashClient.Tests;

/// <summary>
/// A simulator plus the operator's client stack pointed at its gRPC URL: <see cref="AkashChainClient"/>, one shared
/// <see cref="SigningLanes"/> and a <see cref="TxSubmitter"/>, all logging into one <see cref="LogSink"/>.
/// </summary>
public sealed class Harness : IAsyncDisposable
{
    /// <summary>Automatic blocks this often unless a test mines by hand: the submitter waits for inclusion.</summary>
    public static readonly TimeSpan FastBlocks = TimeSpan.FromMilliseconds(20);

    public const ulong FundedUakt = 50_000_000;
    public const ulong FundedUact = 20_000_000;

    private readonly List<IDisposable> _owned = [];

    private Harness(AkashChainSimulator chain, AkashChainClient client, LogSink logs)
    {
        Chain = chain;
        Client = client;
        Logs = logs;
        Submitter = NewSubmitter();
    }

    public AkashChainSimulator Chain { get; }

    public AkashChainClient Client { get; }

    public LogSink Logs { get; }

    public SigningLanes Lanes { get; } = new();

    public TxSubmitter Submitter { get; }

    /// <param name="manualBlocks">True: blocks only via MineAsync (deterministic inclusion tests).</param>
    public static async Task<Harness> StartAsync(bool manualBlocks = false)
    {
        var chain = await AkashChainSimulator.StartAsync(new AkashChainOptions(BlockInterval: manualBlocks ? null : FastBlocks));
        var logs = new LogSink();
        var client = new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId, TimeSpan.FromSeconds(20)), logs.For<AkashChainClient>());
        return new Harness(chain, client, logs);
    }

    /// <summary>A submitter with fast polling; pass other lanes to model a second process sharing the key.</summary>
    public TxSubmitter NewSubmitter(TxSubmitterOptions? options = null, SigningLanes? lanes = null) =>
        new(Client, lanes ?? Lanes, options ?? Fast(), Logs.For<TxSubmitter>());

    public static TxSubmitterOptions Fast(TimeSpan? inclusionTimeout = null) =>
        new(PollInterval: TimeSpan.FromMilliseconds(10), InclusionTimeout: inclusionTimeout ?? TimeSpan.FromSeconds(60));

    /// <summary>A named account funded with uakt (fees) and uact (deposits).</summary>
    public async Task<TestAccount> FundedAsync(string name)
    {
        var account = Own(TestAccount.Named(name));
        await Chain.FundAsync(account.Address, [AkashMessages.Coin(FundedUakt, "uakt"), AkashMessages.Coin(FundedUact, "uact")]);
        return account;
    }

    public T Own<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public static MsgSend Send(TestAccount from, string to, ulong uakt) =>
        new() { FromAddress = from.Address, ToAddress = to, Amount = { AkashMessages.Coin(uakt, "uakt") } };

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _owned)
        {
            d.Dispose();
        }

        Client.Dispose();
        await Chain.DisposeAsync();
    }
}
