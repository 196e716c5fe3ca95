using System.Globalization;
using System.Numerics;
using Flock.Akash.Chain;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Diagnostics;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using AuthQuery = Flock.Akash.Protos.CosmosAuthV1Beta1.Query;
using BankQuery = Flock.Akash.Protos.CosmosBankV1Beta1.Query;
using TxService = Flock.Akash.Protos.CosmosTxV1Beta1.Service;

namespace Flock.Akash.Client;

/// <summary>
/// The operator's read side of an Akash node over gRPC (Grpc.Net.Client): accounts, balances, deployments,
/// market, escrow, providers, audits, and the raw tx service calls <see cref="TxSubmitter"/> builds on. One
/// <see cref="GrpcChannel"/> per endpoint, shared by every call (channels multiplex and are expensive to create).
/// Unreachable-node failures become <see cref="AkashRpcUnavailableException"/>; "not found" answers become null
/// where absence is a normal state (deployment, provider) and a typed error where it needs a user's action (account).
/// </summary>
public sealed partial class AkashChainClient : IDisposable
{
    private readonly GrpcChannel _channel;
    private readonly CallInvoker _invoker;
    private readonly ILogger<AkashChainClient> _logger;
    private readonly AuthQuery.QueryClient _auth;
    private readonly BankQuery.QueryClient _bank;
    private readonly TxService.ServiceClient _tx;
    private readonly Protos.DeploymentV1Beta4.Query.QueryClient _deployments;
    private readonly Protos.MarketV1Beta5.Query.QueryClient _market;
    private readonly Protos.EscrowV1.Query.QueryClient _escrow;
    private readonly Protos.ProviderV1Beta4.Query.QueryClient _providers;
    private readonly Protos.AuditV1.Query.QueryClient _audit;

    /// <param name="options">The node's endpoint, the chain id and the per-call deadline.</param>
    /// <param name="logger">Logs account problems; null logs nothing.</param>
    /// <param name="metrics">Where RPC times go (flock_akash_rpc_duration_seconds) and, through <see cref="Metrics"/>,
    /// the submitter's transaction counts; null records none. Spans are emitted on <see cref="AkashDiagnostics.ActivitySource"/> either way.</param>
    public AkashChainClient(AkashClientOptions options, ILogger<AkashChainClient>? logger = null, AkashMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ChainId);
        if (options.GrpcEndpoint.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException("The gRPC endpoint must be an http:// (h2c) or https:// URL.", nameof(options));
        }

        Options = options;
        _logger = logger ?? NullLogger<AkashChainClient>.Instance;
        // http:// is HTTP/2 with prior knowledge (h2c); Grpc.Net.Client does that on its own for http URLs.
        // A cancelled reconcile must look like cancellation (OperationCanceledException), not like an RPC failure.
        _channel = GrpcChannel.ForAddress(options.GrpcEndpoint, new GrpcChannelOptions { ThrowOperationCanceledOnCancellation = true });
        Metrics = metrics;
        // Every call goes through the interceptor: one span and one duration sample per RPC.
        _invoker = _channel.Intercept(new AkashCallInterceptor(metrics, options.GrpcEndpoint));
        _auth = new AuthQuery.QueryClient(_invoker);
        _bank = new BankQuery.QueryClient(_invoker);
        _tx = new TxService.ServiceClient(_invoker);
        _deployments = new Protos.DeploymentV1Beta4.Query.QueryClient(_invoker);
        _market = new Protos.MarketV1Beta5.Query.QueryClient(_invoker);
        _escrow = new Protos.EscrowV1.Query.QueryClient(_invoker);
        _providers = new Protos.ProviderV1Beta4.Query.QueryClient(_invoker);
        _audit = new Protos.AuditV1.Query.QueryClient(_invoker);
    }

    public AkashClientOptions Options { get; }

    /// <summary>The instruments this client records into (null: none); the <see cref="TxSubmitter"/> on this client counts transactions there.</summary>
    public AkashMetrics? Metrics { get; }

    /// <summary>The chain id transactions are signed for.</summary>
    public string ChainId => Options.ChainId;

    /// <summary>
    /// Account number and sequence. A never-funded address has no account (NotFound), which becomes
    /// <see cref="AkashAccountNotFundedException"/> telling the user to fund it.
    /// </summary>
    public async Task<ChainAccount> GetAccountAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        try
        {
            var response = await RpcErrors.CallAsync("auth/Account", async () =>
                await _auth.AccountAsync(new QueryAccountRequest { Address = address }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            if (response.Account?.TypeUrl == TypeUrls.BaseAccount)
            {
                BaseAccount account;
                try
                {
                    account = TypeUrls.Unpack<BaseAccount>(response.Account);
                }
                catch (InvalidProtocolBufferException e)
                {
                    throw new AkashChainException($"Akash RPC auth/Account returned a BaseAccount for {address} that does not decode: {e.Message}", e);
                }

                return new ChainAccount(address, account.AccountNumber, account.Sequence, account.PubKey is not null);
            }

            // Vesting and module accounts wrap the base account in other types; AccountInfo flattens any of them.
            var info = await RpcErrors.CallAsync("auth/AccountInfo", async () =>
                await _auth.AccountInfoAsync(new QueryAccountInfoRequest { Address = address }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            var flat = info.Info ?? throw new AkashChainException(
                $"Akash RPC auth/AccountInfo returned no account for {address} (auth/Account said type '{response.Account?.TypeUrl}').");
            return new ChainAccount(address, flat.AccountNumber, flat.Sequence, flat.PubKey is not null);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            Log.AccountNotFound(_logger, address, null);
            throw new AkashAccountNotFundedException(address, e);
        }
    }

    /// <summary>Bank balance of one denom (0 when the account or denom is unknown, as the SDK answers).</summary>
    public async Task<BigInteger> GetBalanceAsync(string address, string denom, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(address);
        ArgumentException.ThrowIfNullOrEmpty(denom);
        var response = await RpcErrors.CallAsync("bank/Balance", async () =>
            await _bank.BalanceAsync(new QueryBalanceRequest { Address = address, Denom = denom }, Call(cancellationToken)).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        var amount = response.Balance?.Amount;
        if (string.IsNullOrEmpty(amount))
        {
            return BigInteger.Zero;
        }

        // sdk.Int on the wire: a non-negative integer string. Anything else is a broken node, not a balance.
        return BigInteger.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new AkashChainException($"Akash RPC bank/Balance returned {denom} amount '{(amount.Length <= 40 ? amount : amount[..40] + "…")}' for {address}, not a non-negative integer.");
    }

    /// <summary>Per-call options: the configured deadline (a hung node must not stall a reconcile) and the caller's cancellation.</summary>
    private CallOptions Call(CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + Options.EffectiveCallTimeout, cancellationToken: cancellationToken);

    public void Dispose() => _channel.Dispose();

    public override string ToString() => $"AkashChainClient({Options.GrpcEndpoint}, {Options.ChainId})";

    private static class Log
    {
        public static readonly Action<ILogger, string, Exception?> AccountNotFound =
            LoggerMessage.Define<string>(LogLevel.Warning, new EventId(1, nameof(AccountNotFound)), "Akash account {Address} does not exist on chain; it must be funded first");
    }
}
