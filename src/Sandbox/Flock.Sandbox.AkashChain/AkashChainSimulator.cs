using System.Globalization;
using System.Numerics;
using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.ProviderV1Beta4;
using Flock.Sandbox.AkashChain.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.AkashChain;

/// <summary>
/// A single-node Akash chain on 127.0.0.1 speaking the node's gRPC (h2c, no TLS) so Grpc.Net.Client can use it
/// as it would a real RPC endpoint. Blocks come from a timer (<see cref="AkashChainOptions.BlockInterval"/>) and/or
/// <see cref="MineAsync"/>; the in-process helpers stand in for genesis funding and for provider registration.
/// </summary>
public sealed class AkashChainSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _blocks;

    private AkashChainSimulator(WebApplication app, ChainCore chain, string url)
    {
        _app = app;
        Chain = chain;
        GrpcUrl = url;
        _blocks = chain.Options.BlockInterval is { } interval ? ProduceBlocksAsync(interval, _stop.Token) : Task.CompletedTask;
    }

    /// <summary>http://127.0.0.1:PORT — pass to GrpcChannel.ForAddress.</summary>
    public string GrpcUrl { get; }

    /// <summary>The state machine behind the server.</summary>
    public ChainCore Chain { get; }

    public string ChainId => Chain.Options.ChainId;

    public long Height => Chain.Height;

    /// <summary>Switches for outages, rejections and slow inclusion.</summary>
    public ChainFaults Faults => Chain.Faults;

    public static async Task<AkashChainSimulator> StartAsync(AkashChainOptions? options = null, CancellationToken cancellationToken = default)
    {
        var chain = new ChainCore(options ?? new AkashChainOptions());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(chain);
        builder.Services.AddSingleton<RpcDownInterceptor>();
        builder.Services.AddSingleton<BlockHeightHeaderInterceptor>();
        builder.Services.AddGrpc(o =>
        {
            o.Interceptors.Add<RpcDownInterceptor>();
            o.Interceptors.Add<BlockHeightHeaderInterceptor>();
        });
        var app = builder.Build();
        app.MapGrpcService<TxService>();
        app.MapGrpcService<AuthQueryService>();
        app.MapGrpcService<BankQueryService>();
        app.MapGrpcService<DeploymentQueryService>();
        app.MapGrpcService<MarketQueryService>();
        app.MapGrpcService<EscrowQueryService>();
        app.MapGrpcService<ProviderQueryService>();
        app.MapGrpcService<AuditQueryService>();
        app.MapGrpcService<CertQueryService>();
        app.MapGrpcService<TendermintService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new AkashChainSimulator(app, chain, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>Produces <paramref name="blocks"/> blocks now: deterministic progress for tests.</summary>
    public Task MineAsync(int blocks = 1, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < blocks; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Chain.Mine();
        }

        return Task.CompletedTask;
    }

    /// <summary>Credits coins (e.g. "uakt", 10_000_000) to an address, creating its account (next account number, sequence 0).</summary>
    public Task FundAsync(string address, IEnumerable<Coin> coins, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentNullException.ThrowIfNull(coins);
        cancellationToken.ThrowIfCancellationRequested();
        var list = coins.ToList();
        Chain.Mutate(s =>
        {
            s.EnsureAccount(address);
            foreach (var coin in list)
            {
                s.Credit(address, coin.Denom, BigInteger.Parse(coin.Amount, NumberStyles.None, CultureInfo.InvariantCulture));
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>Shorthand for one coin.</summary>
    public Task FundAsync(string address, ulong amount, string denom, CancellationToken cancellationToken = default) =>
        FundAsync(address, [new Coin { Denom = denom, Amount = amount.ToString(CultureInfo.InvariantCulture) }], cancellationToken);

    /// <summary>Registers (or replaces) a provider as MsgCreateProvider would; the owner gets an account if it has none.</summary>
    public Task RegisterProviderAsync(string owner, string hostUri, IEnumerable<KeyValuePair<string, string>>? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        cancellationToken.ThrowIfCancellationRequested();
        var provider = new Provider { Owner = owner, HostUri = hostUri, Info = new Info() };
        provider.Attributes.AddRange((attributes ?? []).Select(a => new Flock.Akash.Protos.BaseAttributesV1.Attribute { Key = a.Key, Value = a.Value }));
        Chain.Mutate(s =>
        {
            s.EnsureAccount(owner);
            s.Providers[owner] = provider;
        });
        return Task.CompletedTask;
    }

    /// <summary>Records attributes an auditor signed for a provider (what placement signed_by checks).</summary>
    public Task AddAuditedAttributesAsync(string provider, string auditor, IEnumerable<KeyValuePair<string, string>> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attributes);
        cancellationToken.ThrowIfCancellationRequested();
        var audited = new AuditedProvider { Owner = provider, Auditor = auditor };
        audited.Attributes.AddRange(attributes.Select(a => new Flock.Akash.Protos.BaseAttributesV1.Attribute { Key = a.Key, Value = a.Value }));
        Chain.Mutate(s =>
        {
            s.Audits.RemoveAll(a => a.Owner == provider && a.Auditor == auditor);
            s.Audits.Add(audited);
        });
        return Task.CompletedTask;
    }

    /// <summary>A bank balance read in-process.</summary>
    public BigInteger Balance(string address, string denom) => Chain.Read(s => s.Balance(address, denom));

    /// <summary>Where the owner's escrow deposits went; see <see cref="AkashChain.BalanceSheet"/>.</summary>
    public BalanceSheet BalanceSheet(string owner) => Chain.BalanceSheet(owner);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _blocks.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the expected way out of the block loop.
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ProduceBlocksAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            Chain.Mine();
        }
    }
}
