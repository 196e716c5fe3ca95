using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider.Gateway;
using Microsoft.Extensions.Logging;
using Attribute = Flock.Akash.Protos.BaseAttributesV1.Attribute;

namespace Flock.Sandbox.AkashProvider;

/// <summary>
/// One Akash provider: its own funded wallet, registered on the chain simulator with host_uri https://127.0.0.1:PORT
/// and its attributes, its TLS certificate published with a signed MsgCreateCertificate, the provider API over
/// HTTPS, and a bid engine polling the chain. Faults and counters let a test steer and observe it.
/// </summary>
public sealed class SimulatedProvider : IAsyncDisposable
{
    private readonly ProviderContext _p;
    private readonly ProviderGateway _gateway;
    private readonly BidEngine _engine;
    private readonly ClientCertificate _serverCertificate;
    private readonly ClientCertificate _impostor;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private SimulatedProvider(ProviderContext p, ClientCertificate server, ClientCertificate impostor)
    {
        _p = p;
        _serverCertificate = server;
        _impostor = impostor;
        _gateway = new ProviderGateway(p, server.Certificate, impostor.Certificate);
        _engine = new BidEngine(p);
    }

    public string Name => _p.Options.Name;

    /// <summary>The provider's account address (also its certificate's CN).</summary>
    public string Address => _p.Address;

    /// <summary>https://127.0.0.1:PORT, as registered on chain.</summary>
    public Uri HostUri { get; private set; } = new("https://127.0.0.1");

    public SimulatedProviderOptions Options => _p.Options;

    public ProviderFaults Faults => _p.Faults;

    public ProviderCounters Counters => _p.Counters;

    /// <summary>The on-chain attributes it registered (options plus GPU capabilities).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes => _p.Attributes.Select(a => new KeyValuePair<string, string>(a.Key, a.Value)).ToList();

    /// <summary>DER of the server certificate published on chain.</summary>
    public byte[] ServerCertificateDer => _serverCertificate.Certificate.RawData;

    /// <summary>Leases it currently holds (won and not closed).</summary>
    public int ActiveLeases => _p.Leases.Count;

    /// <summary>Why the last mTLS client certificate was refused at the handshake, if any.</summary>
    public string? LastTlsRejection => _p.LastTlsRejection;

    /// <summary>Why the gateway last refused a bearer token: the rule it broke (e.g. "token signature is invalid").</summary>
    public string? LastJwtRejection => _p.LastJwtRejection;

    public bool IsDown => !_gateway.IsListening;

    /// <summary>
    /// Down: the listener closes (connection refused) and the bid engine stops, as when the provider's machine is off.
    /// Up: it listens on the same port again and resumes.
    /// </summary>
    public Task SetDownAsync(bool down) => down ? _gateway.StopAsync() : _gateway.StartAsync(CancellationToken.None);

    /// <summary>The provider walks away from an active lease (MsgCloseBid): the chain closes it with <paramref name="reason"/> and pauses the group.</summary>
    public Task CloseLeaseAsync(LeaseID lease, LeaseClosedReason reason = LeaseClosedReason.Unspecified, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return _engine.CloseLeaseAsync(lease, reason, cancellationToken);
    }

    internal static async Task<SimulatedProvider> StartAsync(AkashChainSimulator chain, AkashChainClient client, TxSubmitter submitter, SimulatedProviderOptions options,
        TimeSpan pollInterval, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var wallet = WalletFor(options.Name);
        await chain.FundAsync(wallet.Address, options.FundingUakt, AkashNetwork.Uakt, cancellationToken).ConfigureAwait(false);
        var attributes = options.Attributes.Concat(Inventory.CapabilityAttributes(options.Inventory))
            .Select(a => new Attribute { Key = a.Key, Value = a.Value }).ToList();
        string[] domains = ["127.0.0.1", "localhost"];
        var server = ClientCertificate.Create(wallet.Address, time.GetUtcNow().AddMinutes(-5), time.GetUtcNow().AddDays(365), domains, time);
        var impostor = ClientCertificate.Create(wallet.Address, time.GetUtcNow().AddMinutes(-5), time.GetUtcNow().AddDays(365), domains, time);
        var context = new ProviderContext(options, wallet, client, submitter, attributes, time, logger);
        var provider = new SimulatedProvider(context, server, impostor);
        await provider._gateway.StartAsync(cancellationToken).ConfigureAwait(false);
        provider.HostUri = new Uri(string.Create(CultureInfo.InvariantCulture, $"https://127.0.0.1:{provider._gateway.Port}"));
        await chain.RegisterProviderAsync(wallet.Address, provider.HostUri.ToString().TrimEnd('/'), attributes.Select(a => new KeyValuePair<string, string>(a.Key, a.Value)), cancellationToken).ConfigureAwait(false);
        foreach (var auditor in options.AuditedBy)
        {
            await chain.AddAuditedAttributesAsync(wallet.Address, auditor, attributes.Select(a => new KeyValuePair<string, string>(a.Key, a.Value)), cancellationToken).ConfigureAwait(false);
        }

        await submitter.SubmitAsync(wallet, [CertMessages.Create(wallet.Address, server)], cancellationToken: cancellationToken).ConfigureAwait(false);
        provider._loop = provider.RunAsync(pollInterval, provider._stop.Token);
        return provider;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        await _gateway.DisposeAsync().ConfigureAwait(false);
        _serverCertificate.Dispose();
        _impostor.Dispose();
        _p.Wallet.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// Bids by hand on an open order (for tests that choose when and at what price; set <see cref="ProviderFaults.NeverBid"/>
    /// to keep the engine from bidding on its own). The lease that may follow is served like any other.
    /// </summary>
    public async Task BidAsync(string owner, ulong dseq, uint gseq, uint oseq, decimal price, CancellationToken cancellationToken = default)
    {
        var order = (await _p.Chain.ListOrdersAsync(owner, dseq, "open", cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(o => o.Id.Gseq == gseq && o.Id.Oseq == oseq)
            ?? throw new InvalidOperationException($"order {owner}/{dseq}/{gseq}/{oseq} is not open");
        await _engine.BidByHandAsync(order, price, cancellationToken).ConfigureAwait(false);
    }

    public override string ToString() => $"SimulatedProvider({Name}, {Address}, {HostUri})";

    /// <summary>A wallet seeded by the provider's name: the same sandbox provider has the same address every run.</summary>
    internal static Wallet WalletFor(string name)
    {
        var entropy = SHA256.HashData(Encoding.UTF8.GetBytes("flock-sandbox-provider:" + name))[..16];
        return Wallet.FromMnemonic(new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, entropy).ToString());
    }

    private async Task RunAsync(TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (!IsDown)
            {
                try
                {
                    await _engine.TickAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    // A chain hiccup must not kill the provider; the next tick tries again.
                    _p.Logger.LogWarning(e, "Provider {Provider}: bid engine tick failed", Name);
                }
            }

            await Task.Delay(pollInterval, _p.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
