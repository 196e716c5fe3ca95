using Flock.Akash.Chain;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.CosmosTxSigningV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Flock.Akash.Tx;

/// <summary>
/// Builds the two signed parts of a Cosmos transaction: TxBody (the messages, Any-packed with "/" type URLs)
/// and AuthInfo (one SIGN_MODE_DIRECT signer and the fee). Pure: same inputs, same bytes.
/// </summary>
public static class TxBuilder
{
    /// <summary>The TxBody for <paramref name="messages"/> (at least one).</summary>
    public static TxBody Body(IEnumerable<IMessage> messages, string memo = "", ulong timeoutHeight = 0)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(memo);
        var body = new TxBody { Memo = memo, TimeoutHeight = timeoutHeight };
        body.Messages.AddRange(messages.Select(TypeUrls.Pack));
        if (body.Messages.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one message.", nameof(messages));
        }

        return body;
    }

    /// <summary>AuthInfo with one signer: its public key Any, SIGN_MODE_DIRECT, its sequence, and the fee.</summary>
    public static AuthInfo AuthInfo(Any publicKey, ulong sequence, TxFee fee)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(fee);
        var feeMessage = new Fee { GasLimit = fee.GasLimit };
        feeMessage.Amount.Add(new Coin { Denom = fee.Denom, Amount = fee.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        return new AuthInfo
        {
            SignerInfos =
            {
                new SignerInfo
                {
                    PublicKey = publicKey,
                    ModeInfo = new ModeInfo { Single = new ModeInfo.Types.Single { Mode = SignMode.Direct } },
                    Sequence = sequence,
                },
            },
            Fee = feeMessage,
        };
    }

    /// <summary>The SignDoc SIGN_MODE_DIRECT signs: the exact body and auth-info bytes plus chain id and account number.</summary>
    public static SignDoc SignDoc(ByteString bodyBytes, ByteString authInfoBytes, string chainId, ulong accountNumber)
    {
        ArgumentNullException.ThrowIfNull(bodyBytes);
        ArgumentNullException.ThrowIfNull(authInfoBytes);
        ArgumentException.ThrowIfNullOrEmpty(chainId);
        return new SignDoc { BodyBytes = bodyBytes, AuthInfoBytes = authInfoBytes, ChainId = chainId, AccountNumber = accountNumber };
    }
}
