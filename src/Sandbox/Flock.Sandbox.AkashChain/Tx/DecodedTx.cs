using System.Security.Cryptography;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Sandbox.AkashChain.Modules;
using Google.Protobuf;

namespace Flock.Sandbox.AkashChain.Tx;

/// <summary>A TxRaw taken apart: the exact signed bytes plus the decoded body, auth info and messages.</summary>
internal sealed record DecodedTx(byte[] Bytes, string Hash, TxRaw Raw, TxBody Body, AuthInfo AuthInfo, IReadOnlyList<(MsgRoute Route, IMessage Msg)> Messages)
{
    /// <summary>Decodes like the SDK's tx decoder; any failure is "tx parse error" (code 2).</summary>
    public static DecodedTx Decode(byte[] bytes)
    {
        try
        {
            var raw = TxRaw.Parser.ParseFrom(bytes);
            var body = TxBody.Parser.ParseFrom(raw.BodyBytes);
            var authInfo = AuthInfo.Parser.ParseFrom(raw.AuthInfoBytes);
            var messages = new List<(MsgRoute, IMessage)>();
            foreach (var any in body.Messages)
            {
                var route = MsgRouter.Find(any.TypeUrl) ?? throw ChainErrors.TxDecode.Fail($"unable to resolve type URL {any.TypeUrl}");
                messages.Add((route, route.Parse(any.Value)));
            }

            return new DecodedTx(bytes, Convert.ToHexString(SHA256.HashData(bytes)), raw, body, authInfo, messages);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw ChainErrors.TxDecode.Fail(e.Message);
        }
    }

    /// <summary>The distinct signers the messages require, in first-seen order (GetSigners).</summary>
    public IReadOnlyList<string> Signers => Messages.Select(m => m.Route.Signer(m.Msg)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The Tx form GetTx returns.</summary>
    public Flock.Akash.Protos.CosmosTxV1Beta1.Tx ToTx()
    {
        var tx = new Flock.Akash.Protos.CosmosTxV1Beta1.Tx { Body = Body.Clone(), AuthInfo = AuthInfo.Clone() };
        tx.Signatures.AddRange(Raw.Signatures);
        return tx;
    }
}
