using System.Security.Cryptography;
using System.Text;
using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Akash.Tx;
using Flock.Sandbox.AkashChain;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using NBitcoin;
using AuthQuery = Flock.Akash.Protos.CosmosAuthV1Beta1.Query;
using BankQuery = Flock.Akash.Protos.CosmosBankV1Beta1.Query;

namespace Flock.AkashChain.Tests;

/// <summary>
/// A client that talks to the simulator the way the operator will: gRPC over Grpc.Net.Client, account number and
/// sequence from auth Query/Account, gas from Simulate × 1.5 at 0.025uakt, SIGN_MODE_DIRECT with Flock.Akash's TxSigner.
/// </summary>
public sealed class ChainClient : IDisposable
{
    private readonly GrpcChannel _channel;

    public ChainClient(AkashChainSimulator chain, string name)
    {
        Chain = chain;
        _channel = GrpcChannel.ForAddress(chain.GrpcUrl);
        Wallet = TestWallets.Named(name);
        Signer = new TxSigner(Wallet);
        Tx = new Service.ServiceClient(_channel);
        Auth = new AuthQuery.QueryClient(_channel);
        Bank = new BankQuery.QueryClient(_channel);
        Deployments = new Flock.Akash.Protos.DeploymentV1Beta4.Query.QueryClient(_channel);
        Market = new Flock.Akash.Protos.MarketV1Beta5.Query.QueryClient(_channel);
        Escrow = new Flock.Akash.Protos.EscrowV1.Query.QueryClient(_channel);
        Providers = new Flock.Akash.Protos.ProviderV1Beta4.Query.QueryClient(_channel);
        Audit = new Flock.Akash.Protos.AuditV1.Query.QueryClient(_channel);
        Certs = new Flock.Akash.Protos.CertV1.Query.QueryClient(_channel);
    }

    /// <summary>Gas for transactions whose simulation fails (negative tests that need the tx in a block).</summary>
    public const ulong FallbackGas = 400_000;

    public AkashChainSimulator Chain { get; }
    public Wallet Wallet { get; }
    public TxSigner Signer { get; }
    public string Address => Wallet.Address;
    public Service.ServiceClient Tx { get; }
    public AuthQuery.QueryClient Auth { get; }
    public BankQuery.QueryClient Bank { get; }
    public Flock.Akash.Protos.DeploymentV1Beta4.Query.QueryClient Deployments { get; }
    public Flock.Akash.Protos.MarketV1Beta5.Query.QueryClient Market { get; }
    public Flock.Akash.Protos.EscrowV1.Query.QueryClient Escrow { get; }
    public Flock.Akash.Protos.ProviderV1Beta4.Query.QueryClient Providers { get; }
    public Flock.Akash.Protos.AuditV1.Query.QueryClient Audit { get; }
    public Flock.Akash.Protos.CertV1.Query.QueryClient Certs { get; }

    /// <summary>The chain's view of this account (what goes into the SignDoc).</summary>
    public async Task<SignerAccount> AccountAsync(string? chainId = null)
    {
        var response = await Auth.AccountAsync(new QueryAccountRequest { Address = Address });
        var account = TypeUrls.Unpack<BaseAccount>(response.Account);
        return new SignerAccount(chainId ?? Chain.ChainId, account.AccountNumber, account.Sequence);
    }

    public async Task<ulong> BalanceAsync(string denom) =>
        ulong.Parse((await Bank.BalanceAsync(new QueryBalanceRequest { Address = Address, Denom = denom })).Balance.Amount, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Simulate → fee → sign, with optional overrides for the negative tests.</summary>
    public async Task<SignedTx> SignAsync(IEnumerable<IMessage> messages, SignerAccount? account = null, TxFee? fee = null)
    {
        var list = messages.ToList();
        account ??= await AccountAsync();
        if (fee is null)
        {
            var simulation = TxSigner.ForSimulation(list, Wallet.PublicKeyAny(), account.Sequence);
            try
            {
                var simulated = await Tx.SimulateAsync(new SimulateRequest { TxBytes = ByteString.CopyFrom(simulation.Bytes) });
                fee = TxFee.FromSimulation(simulated.GasInfo.GasUsed);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unknown)
            {
                // Simulation runs the messages, so a tx meant to fail in the block cannot be simulated: use a fixed budget.
                fee = TxFee.ForGas(FallbackGas);
            }
        }

        return Signer.Sign(list, account, fee);
    }

    public async Task<TxResponse> BroadcastAsync(SignedTx tx)
    {
        var response = await Tx.BroadcastTxAsync(new BroadcastTxRequest { TxBytes = ByteString.CopyFrom(tx.Bytes), Mode = BroadcastMode.Sync });
        return response.TxResponse;
    }

    /// <summary>Broadcasts, requires CheckTx to accept, mines one block and returns the DeliverTx result from GetTx.</summary>
    public async Task<TxResponse> SubmitAsync(params IMessage[] messages)
    {
        var tx = await SignAsync(messages);
        var check = await BroadcastAsync(tx);
        Assert.True(check.Code == 0, $"CheckTx rejected: {check.Code} {check.RawLog}");
        await Chain.MineAsync(1);
        return (await Tx.GetTxAsync(new GetTxRequest { Hash = tx.Hash })).TxResponse;
    }

    /// <summary>Like SubmitAsync but requires DeliverTx success too.</summary>
    public async Task<TxResponse> SubmitOkAsync(params IMessage[] messages)
    {
        var result = await SubmitAsync(messages);
        Assert.True(result.Code == 0, $"DeliverTx failed: {result.Code} {result.Codespace} {result.RawLog}");
        return result;
    }

    public void Dispose()
    {
        Wallet.Dispose();
        _channel.Dispose();
    }
}

/// <summary>Deterministic wallets: the BIP39 entropy is SHA-256 of the name, so each name is a fixed account.</summary>
public static class TestWallets
{
    public static Wallet Named(string name)
    {
        var entropy = SHA256.HashData(Encoding.UTF8.GetBytes(name))[..16];
        var mnemonic = new Mnemonic(Wordlist.English, entropy);
        return Wallet.FromMnemonic(mnemonic.ToString());
    }
}

/// <summary>Assertion helpers for gRPC failures.</summary>
public static class RpcAssert
{
    public static async Task<RpcException> ThrowsAsync(StatusCode code, Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(code, e.StatusCode);
        return e;
    }
}
