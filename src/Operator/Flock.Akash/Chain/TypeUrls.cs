using Flock.Akash.Protos.BmeV1;
using Flock.Akash.Protos.CertV1;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.CosmosCryptoSecp256k1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Flock.Akash.Chain;

/// <summary>
/// Type URLs of the messages the operator packs into Any. Cosmos uses "/" + full proto name, not
/// Google's "type.googleapis.com/" prefix that <see cref="Any.Pack(IMessage)"/> writes, so packing goes through <see cref="Pack"/>.
/// </summary>
public static class TypeUrls
{
    public const string MsgCreateDeployment = "/akash.deployment.v1beta4.MsgCreateDeployment";
    public const string MsgUpdateDeployment = "/akash.deployment.v1beta4.MsgUpdateDeployment";
    public const string MsgCloseDeployment = "/akash.deployment.v1beta4.MsgCloseDeployment";
    public const string MsgAccountDeposit = "/akash.escrow.v1.MsgAccountDeposit";
    public const string MsgCreateLease = "/akash.market.v1beta5.MsgCreateLease";
    public const string MsgCloseLease = "/akash.market.v1beta5.MsgCloseLease";
    public const string MsgCreateCertificate = "/akash.cert.v1.MsgCreateCertificate";
    public const string MsgRevokeCertificate = "/akash.cert.v1.MsgRevokeCertificate";
    public const string MsgMintAct = "/akash.bme.v1.MsgMintACT";
    public const string MsgSend = "/cosmos.bank.v1beta1.MsgSend";
    public const string Secp256k1PubKey = "/cosmos.crypto.secp256k1.PubKey";
    public const string BaseAccount = "/cosmos.auth.v1beta1.BaseAccount";

    /// <summary>Wraps a message in an Any with the Cosmos type URL ("/" + its full proto name).</summary>
    public static Any Pack(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new Any { TypeUrl = "/" + message.Descriptor.FullName, Value = message.ToByteString() };
    }

    /// <summary>The Cosmos type URL of a message type.</summary>
    public static string Of<T>() where T : IMessage<T>, new() => "/" + new T().Descriptor.FullName;

    /// <summary>Unpacks an Any whose type URL must be exactly the Cosmos URL of <typeparamref name="T"/>.</summary>
    public static T Unpack<T>(Any any) where T : IMessage<T>, new()
    {
        ArgumentNullException.ThrowIfNull(any);
        var expected = Of<T>();
        if (!string.Equals(any.TypeUrl, expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Any has type URL '{any.TypeUrl}', expected '{expected}'.");
        }

        var parser = new MessageParser<T>(() => new T());
        return parser.ParseFrom(any.Value);
    }

    // Compile-time link between the constants and the generated types: a renamed proto breaks the build, not the chain call.
    internal static readonly IReadOnlyDictionary<string, string> Declared = new Dictionary<string, string>
    {
        [MsgCreateDeployment] = Of<MsgCreateDeployment>(),
        [MsgUpdateDeployment] = Of<MsgUpdateDeployment>(),
        [MsgCloseDeployment] = Of<MsgCloseDeployment>(),
        [MsgAccountDeposit] = Of<MsgAccountDeposit>(),
        [MsgCreateLease] = Of<MsgCreateLease>(),
        [MsgCloseLease] = Of<MsgCloseLease>(),
        [MsgCreateCertificate] = Of<MsgCreateCertificate>(),
        [MsgRevokeCertificate] = Of<MsgRevokeCertificate>(),
        [MsgMintAct] = Of<MsgMintACT>(),
        [MsgSend] = Of<MsgSend>(),
        [Secp256k1PubKey] = Of<PubKey>(),
        [BaseAccount] = Of<BaseAccount>(),
    };
}
