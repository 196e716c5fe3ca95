using System.Globalization;
using System.Numerics;
using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.CosmosCryptoSecp256k1;
using Flock.Akash.Protos.CosmosTxSigningV1Beta1;
using Flock.Sandbox.AkashChain.State;
using Google.Protobuf;

namespace Flock.Sandbox.AkashChain.Tx;

/// <summary>What the ante chain settled: who pays, how much, with which key.</summary>
internal sealed record AnteResult(string Signer, BigInteger Fee, string FeeDenom, byte[] PublicKey, ulong AnteGas);

/// <summary>
/// The ante decorators Akash's app/ante.go chains, in their order: ValidateBasic (msgs, then tx), TxTimeoutHeight,
/// ConsumeGasForTxSize, DeductFee (min gas price only in CheckTx), SetPubKey, SigVerification (sequence first, then
/// the SIGN_MODE_DIRECT signature), IncrementSequence. Messages and texts follow cosmos-sdk v0.53.
/// </summary>
internal static class AnteHandler
{
    /// <summary>TxSizeCostPerByte and SigVerifyCostSecp256k1 of the default auth params.</summary>
    public const ulong GasPerByte = 10;
    public const ulong GasPerSignature = 1000;

    /// <summary>Runs the checks; throws <see cref="ChainException"/> with the node's code on the first failure. Does not change state.</summary>
    /// <param name="state">The committed state in DeliverTx; in CheckTx and Simulate the CheckTx state (mempool ante effects applied).</param>
    public static AnteResult Check(ChainState state, DecodedTx tx, AkashChainOptions options, bool checkTx, bool simulate)
    {
        if (tx.Messages.Count == 0)
        {
            throw ChainErrors.InvalidRequest.Fail("must contain at least one message");
        }

        foreach (var (route, msg) in tx.Messages)
        {
            route.ValidateBasic(msg);
        }

        var signers = tx.Signers;
        var signerInfos = tx.AuthInfo.SignerInfos;
        if (!simulate && tx.Raw.Signatures.Count == 0)
        {
            throw ChainErrors.NoSignatures.Fail();
        }

        if (!simulate && tx.Raw.Signatures.Count != signers.Count)
        {
            throw ChainErrors.Unauthorized.Fail($"wrong number of signers; expected {signers.Count}, got {tx.Raw.Signatures.Count}");
        }

        if (signers.Count != signerInfos.Count)
        {
            throw ChainErrors.Unauthorized.Fail($"invalid number of signer;  expected: {signers.Count}, got {signerInfos.Count}");
        }

        if (tx.Body.TimeoutHeight > 0 && (ulong)state.Height + 1 > tx.Body.TimeoutHeight)
        {
            throw ChainErrors.TxTimeoutHeight.Fail($"tx has timed out; timeout height: {tx.Body.TimeoutHeight}, current height: {state.Height + 1}");
        }

        var fee = tx.AuthInfo.Fee ?? new Flock.Akash.Protos.CosmosTxV1Beta1.Fee();
        var anteGas = ((ulong)tx.Bytes.Length * GasPerByte) + ((ulong)signerInfos.Count * GasPerSignature);
        if (!simulate)
        {
            if (fee.GasLimit == 0)
            {
                throw ChainErrors.InvalidGasLimit.Fail("must provide positive gas");
            }

            if (anteGas > fee.GasLimit)
            {
                throw ChainErrors.OutOfGas.Fail($"out of gas in location: txSize; gasWanted: {fee.GasLimit}, gasUsed: {anteGas}");
            }
        }

        var feeCoins = fee.Amount.Select(c => (c.Denom, Amount: Dec.ParseInt(c.Amount) ?? throw ChainErrors.InsufficientFee.Fail($"invalid fee amount: {c.Amount}{c.Denom}"))).ToList();
        var feeText = string.Join(',', feeCoins.Select(c => Dec.Coin(c.Amount, c.Denom)));
        if (checkTx && !simulate && options.MinGasPrice > 0)
        {
            // fee = ceil(minGasPrice × gasLimit); the fee must reach it in the (only) min-gas-price denom, uakt.
            var required = new BigInteger(Math.Ceiling(options.MinGasPrice * fee.GasLimit));
            if (!feeCoins.Any(c => c.Denom == AkashNetwork.Uakt && c.Amount >= required))
            {
                throw ChainErrors.InsufficientFee.Fail($"insufficient fees; got: {feeText} required: {Dec.Coin(required, AkashNetwork.Uakt)}");
            }
        }

        var signer = signers[0];
        if (!state.Accounts.TryGetValue(signer, out var account))
        {
            throw ChainErrors.UnknownAddress.Fail($"fee payer address: {signer} does not exist");
        }

        var (feeDenom, feeAmount) = feeCoins.Count > 0 ? feeCoins[0] : (AkashNetwork.Uakt, BigInteger.Zero);
        if (!simulate && feeAmount > 0)
        {
            var spendable = state.Balance(signer, feeDenom);
            if (spendable < feeAmount)
            {
                var inner = $"spendable balance {Dec.Coin(BigInteger.Max(spendable, 0), feeDenom)} is smaller than {Dec.Coin(feeAmount, feeDenom)}: insufficient funds";
                throw ChainErrors.InsufficientFunds.Fail(inner);
            }
        }

        var info = signerInfos[0];
        byte[]? publicKey = account.PublicKey;
        if (info.PublicKey is not null)
        {
            if (info.PublicKey.TypeUrl != TypeUrls.Secp256k1PubKey)
            {
                throw ChainErrors.InvalidPubKey.Fail($"unrecognized public key type: {info.PublicKey.TypeUrl}");
            }

            var key = PubKey.Parser.ParseFrom(info.PublicKey.Value).Key.ToByteArray();
            if (key.Length != 33 || Bech32.Encode(AkashNetwork.AddressPrefix, Wallet.AddressBytes(key)) != signer)
            {
                throw ChainErrors.InvalidPubKey.Fail($"pubKey does not match signer address {signer} with signer index: 0");
            }

            publicKey = key;
        }

        if (publicKey is null && !simulate)
        {
            throw ChainErrors.InvalidPubKey.Fail("pubkey on account is not set");
        }

        if (info.Sequence != account.Sequence)
        {
            throw ChainErrors.WrongSequence.Fail($"account sequence mismatch, expected {account.Sequence}, got {info.Sequence}");
        }

        if (!simulate)
        {
            var direct = info.ModeInfo?.Single?.Mode == SignMode.Direct;
            var signDoc = TxBuilderSignDoc(tx, options.ChainId, account.Number);
            if (!direct || !Wallet.VerifyWith(publicKey, signDoc, tx.Raw.Signatures[0].Span))
            {
                throw ChainErrors.Unauthorized.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"signature verification failed; please verify account number ({account.Number}) and chain-id ({options.ChainId}): (unable to verify single signer signature)"));
            }
        }

        return new AnteResult(signer, feeAmount, feeDenom, publicKey ?? [], anteGas);
    }

    /// <summary>The bytes SIGN_MODE_DIRECT signs: SignDoc(body bytes, auth-info bytes as sent, chain id, account number).</summary>
    private static byte[] TxBuilderSignDoc(DecodedTx tx, string chainId, ulong accountNumber) =>
        Flock.Akash.Tx.TxBuilder.SignDoc(tx.Raw.BodyBytes, tx.Raw.AuthInfoBytes, chainId, accountNumber).ToByteArray();
}
