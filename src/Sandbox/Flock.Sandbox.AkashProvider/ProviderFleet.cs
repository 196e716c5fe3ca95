using Flock.Akash.Client;
using Flock.Sandbox.AkashChain;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Sandbox.AkashProvider;

/// <summary>How a fleet runs.</summary>
/// <param name="PollInterval">Bid engine tick (default 100 ms; roughly a block of a fast test chain).</param>
/// <param name="Loggers">Where the providers log; nowhere by default.</param>
/// <param name="Time">Clock for timeouts and certificates.</param>
public sealed record ProviderFleetOptions(TimeSpan? PollInterval = null, ILoggerFactory? Loggers = null, TimeProvider? Time = null);

/// <summary>
/// Simulated Akash providers against one <see cref="AkashChainSimulator"/> (which must produce blocks: set its
/// BlockInterval). They share one gRPC client and signer, each with its own wallet and signing lane.
/// <code>
/// await using var fleet = await ProviderFleet.StartAsync(chain, [new() { Name = "cheap", Pricing = BidPricing.FractionOfMax(0.3m) }]);
/// fleet["cheap"].Faults.RejectManifests = true;
/// </code>
/// </summary>
public sealed class ProviderFleet : IAsyncDisposable
{
    private readonly AkashChainSimulator _chain;
    private readonly ProviderFleetOptions _options;
    private readonly TxSubmitter _submitter;
    private readonly List<SimulatedProvider> _providers = [];
    private readonly object _gate = new();

    private ProviderFleet(AkashChainSimulator chain, ProviderFleetOptions options)
    {
        _chain = chain;
        _options = options;
        Client = new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId, TimeSpan.FromSeconds(15)));
        _submitter = new TxSubmitter(Client, new SigningLanes(), new TxSubmitterOptions(PollInterval: TimeSpan.FromMilliseconds(20), InclusionTimeout: TimeSpan.FromSeconds(30)));
    }

    /// <summary>The providers' chain client (also handy for tests).</summary>
    public AkashChainClient Client { get; }

    public IReadOnlyList<SimulatedProvider> Providers
    {
        get
        {
            lock (_gate)
            {
                return _providers.ToList();
            }
        }
    }

    public SimulatedProvider this[string name] => Providers.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"No simulated provider named '{name}'.");

    public static async Task<ProviderFleet> StartAsync(AkashChainSimulator chain, IEnumerable<SimulatedProviderOptions> providers, ProviderFleetOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(providers);
        var fleet = new ProviderFleet(chain, options ?? new ProviderFleetOptions());
        try
        {
            await Task.WhenAll(providers.Select(p => fleet.AddAsync(p, cancellationToken))).ConfigureAwait(false);
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return fleet;
    }

    /// <summary>Starts one more provider.</summary>
    public async Task<SimulatedProvider> AddAsync(SimulatedProviderOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var loggers = _options.Loggers ?? NullLoggerFactory.Instance;
        var provider = await SimulatedProvider.StartAsync(_chain, Client, _submitter, options, _options.PollInterval ?? TimeSpan.FromMilliseconds(100),
            _options.Time ?? TimeProvider.System, loggers.CreateLogger("Flock.Sandbox.AkashProvider." + options.Name), cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _providers.Add(provider);
        }

        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in Providers)
        {
            await p.DisposeAsync().ConfigureAwait(false);
        }

        Client.Dispose();
    }
}
