using Flock.Akash.Chain;
using Flock.Akash.Protos.BmeV1;
using Flock.Akash.Protos.CertV1;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain.Tx;
using Google.Protobuf;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>One registered message type: how to decode it, who must sign it, its stateless checks, its handler, its gas.</summary>
internal sealed record MsgRoute(
    string TypeUrl,
    Func<ByteString, IMessage> Parse,
    Func<IMessage, string> Signer,
    Action<IMessage> ValidateBasic,
    Action<MsgContext, IMessage> Execute,
    ulong Gas);

/// <summary>
/// The interface registry + message router: type URL → route. An unregistered type URL fails decoding
/// ("unable to resolve type URL …: tx parse error", code 2), as the SDK's tx decoder does.
/// </summary>
internal static class MsgRouter
{
    private static readonly Dictionary<string, MsgRoute> Routes = new MsgRoute[]
    {
        Route<MsgCreateDeployment>(m => m.Id?.Owner, DeploymentHandler.ValidateCreate, DeploymentHandler.Create, 180_000),
        Route<MsgUpdateDeployment>(m => m.Id?.Owner, DeploymentHandler.ValidateUpdate, DeploymentHandler.Update, 80_000),
        Route<MsgCloseDeployment>(m => m.Id?.Owner, m => DeploymentHandler.ValidateId(m.Id), DeploymentHandler.Close, 120_000),
        Route<MsgCloseGroup>(m => m.Id?.Owner, _ => { }, (c, m) => DeploymentHandler.CloseGroup(c, m.Id), 90_000),
        Route<MsgPauseGroup>(m => m.Id?.Owner, _ => { }, (c, m) => DeploymentHandler.PauseGroup(c, m.Id), 90_000),
        Route<MsgStartGroup>(m => m.Id?.Owner, _ => { }, (c, m) => DeploymentHandler.StartGroup(c, m.Id), 90_000),
        Route<MsgAccountDeposit>(m => m.Signer, _ => { }, EscrowHandler.Deposit, 90_000),
        Route<MsgCreateBid>(m => m.Id?.Provider, MarketHandler.ValidateCreateBid, MarketHandler.CreateBid, 110_000),
        Route<MsgCloseBid>(m => m.Id?.Provider, _ => { }, MarketHandler.CloseBid, 100_000),
        Route<MsgCreateLease>(m => m.BidId?.Owner, _ => { }, MarketHandler.CreateLease, 130_000),
        Route<MsgCloseLease>(m => m.Id?.Owner, _ => { }, MarketHandler.CloseLease, 110_000),
        Route<MsgWithdrawLease>(m => m.Id?.Provider, _ => { }, MarketHandler.WithdrawLease, 90_000),
        Route<MsgCreateCertificate>(m => m.Owner, CertHandler.ValidateCreate, CertHandler.Create, 70_000),
        Route<MsgRevokeCertificate>(m => m.Id?.Owner, CertHandler.ValidateRevoke, CertHandler.Revoke, 60_000),
        Route<MsgMintACT>(m => m.Owner, BmeHandler.ValidateMint, BmeHandler.Mint, 100_000),
        Route<MsgSend>(m => m.FromAddress, _ => { }, BankHandler.Send, 60_000),
    }.ToDictionary(r => r.TypeUrl, StringComparer.Ordinal);

    public static MsgRoute? Find(string typeUrl) => Routes.GetValueOrDefault(typeUrl);

    private static MsgRoute Route<T>(Func<T, string?> signer, Action<T> validate, Action<MsgContext, T> execute, ulong gas)
        where T : IMessage<T>, new()
    {
        var parser = new MessageParser<T>(() => new T());
        return new MsgRoute(
            TypeUrls.Of<T>(),
            bytes => parser.ParseFrom(bytes),
            m => signer((T)m) ?? string.Empty,
            m => validate((T)m),
            (c, m) => execute(c, (T)m),
            gas);
    }
}
