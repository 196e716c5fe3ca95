using Flock.Akash.Crypto;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Google.Protobuf;

namespace Flock.Akash.Tx;

/// <summary>
/// Signs transactions with SIGN_MODE_DIRECT: serialise TxBody and AuthInfo once, sign the SignDoc over those
/// bytes, and ship the same bytes in TxRaw, so no re-encoding can ever invalidate the signature.
/// </summary>
public sealed class TxSigner
{
    private readonly Wallet _wallet;

    /// <summary>Signs with <paramref name="wallet"/>; the signer does not own (or dispose) it.</summary>
    public TxSigner(Wallet wallet)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        _wallet = wallet;
    }

    /// <summary>The signer's address.</summary>
    public string Address => _wallet.Address;

    /// <summary>Builds and signs a transaction carrying <paramref name="messages"/>.</summary>
    public SignedTx Sign(IEnumerable<IMessage> messages, SignerAccount account, TxFee fee, string memo = "", ulong timeoutHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(account);
        var body = TxBuilder.Body(messages, memo, timeoutHeight);
        var authInfo = TxBuilder.AuthInfo(_wallet.PublicKeyAny(), account.Sequence, fee);
        return Sign(body.ToByteString(), authInfo.ToByteString(), account.ChainId, account.AccountNumber);
    }

    /// <summary>Signs already serialised body and auth-info bytes.</summary>
    public SignedTx Sign(ByteString bodyBytes, ByteString authInfoBytes, string chainId, ulong accountNumber)
    {
        var signDoc = TxBuilder.SignDoc(bodyBytes, authInfoBytes, chainId, accountNumber);
        var signature = SignDocBytes(signDoc.ToByteArray());
        var raw = new TxRaw { BodyBytes = bodyBytes, AuthInfoBytes = authInfoBytes };
        raw.Signatures.Add(ByteString.CopyFrom(signature));
        return new SignedTx(raw);
    }

    /// <summary>The 64-byte signature of serialised SignDoc bytes (what cosmjs's signDirect returns).</summary>
    public byte[] SignDocBytes(ReadOnlySpan<byte> signDocBytes) => _wallet.Sign(signDocBytes);

    /// <summary>A transaction for Simulate: real body and auth info, empty signature (the node skips signature checks when simulating).</summary>
    public static SignedTx ForSimulation(IEnumerable<IMessage> messages, Google.Protobuf.WellKnownTypes.Any publicKey, ulong sequence, string memo = "")
    {
        var body = TxBuilder.Body(messages, memo);
        var authInfo = TxBuilder.AuthInfo(publicKey, sequence, new TxFee(0, 0));
        var raw = new TxRaw { BodyBytes = body.ToByteString(), AuthInfoBytes = authInfo.ToByteString() };
        raw.Signatures.Add(ByteString.Empty);
        return new SignedTx(raw);
    }
}
