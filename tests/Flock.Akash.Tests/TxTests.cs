using System.Security.Cryptography;
using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.CosmosTxSigningV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Tx;
using Google.Protobuf;

namespace Flock.Akash.Tests;

public class TxTests
{
    private static readonly SignerAccount Account = new(AkashNetwork.MainnetChainId, AccountNumber: 4242, Sequence: 17);

    private static LeaseID Lease(string owner) => new() { Owner = owner, Dseq = 123, Gseq = 1, Oseq = 1, Provider = "akash1provider", Bseq = 2 };

    [Fact]
    public void Body_packs_messages_with_slash_type_urls()
    {
        var body = TxBuilder.Body([AkashMessages.CloseLease(Lease("akash1owner")), AkashMessages.CloseDeployment("akash1owner", 123)], memo: "flock");
        Assert.Equal(["/akash.market.v1beta5.MsgCloseLease", "/akash.deployment.v1beta4.MsgCloseDeployment"], body.Messages.Select(m => m.TypeUrl));
        Assert.Equal("flock", body.Memo);
    }

    [Fact]
    public void A_body_without_messages_is_refused() =>
        Assert.Throws<ArgumentException>(() => TxBuilder.Body([]));

    [Fact]
    public void Auth_info_has_one_direct_signer_with_its_key_sequence_and_the_uakt_fee()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var auth = TxBuilder.AuthInfo(wallet.PublicKeyAny(), 17, new TxFee(200000, 5000));
        var signer = Assert.Single(auth.SignerInfos);
        Assert.Equal("/cosmos.crypto.secp256k1.PubKey", signer.PublicKey.TypeUrl);
        Assert.Equal(SignMode.Direct, signer.ModeInfo.Single.Mode);
        Assert.Equal(17UL, signer.Sequence);
        Assert.Equal(200000UL, auth.Fee.GasLimit);
        var coin = Assert.Single(auth.Fee.Amount);
        Assert.Equal(("uakt", "5000"), (coin.Denom, coin.Amount));
    }

    [Fact]
    public void Signed_tx_carries_the_signed_bytes_and_its_signature_verifies_over_the_sign_doc()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var signer = new TxSigner(wallet);
        var tx = signer.Sign([AkashMessages.CloseLease(Lease(wallet.Address))], Account, new TxFee(150000, 3750));
        var signDoc = TxBuilder.SignDoc(tx.Raw.BodyBytes, tx.Raw.AuthInfoBytes, Account.ChainId, Account.AccountNumber).ToByteArray();
        var signature = Assert.Single(tx.Raw.Signatures).ToByteArray();
        Assert.Equal(64, signature.Length);
        Assert.True(wallet.Verify(signDoc, signature));

        // The same signature is worthless for another chain or account number.
        Assert.False(wallet.Verify(TxBuilder.SignDoc(tx.Raw.BodyBytes, tx.Raw.AuthInfoBytes, "sandbox-01", Account.AccountNumber).ToByteArray(), signature));
        Assert.False(wallet.Verify(TxBuilder.SignDoc(tx.Raw.BodyBytes, tx.Raw.AuthInfoBytes, Account.ChainId, 1).ToByteArray(), signature));

        var decoded = TxRaw.Parser.ParseFrom(tx.Bytes);
        Assert.Equal(tx.Raw, decoded);
        var body = TxBody.Parser.ParseFrom(decoded.BodyBytes);
        Assert.Equal(wallet.Address, TypeUrls.Unpack<Protos.MarketV1Beta5.MsgCloseLease>(body.Messages[0]).Id.Owner);
        Assert.Equal(17UL, AuthInfo.Parser.ParseFrom(decoded.AuthInfoBytes).SignerInfos[0].Sequence);
    }

    [Fact]
    public void Signing_is_byte_for_byte_deterministic()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var signer = new TxSigner(wallet);
        var a = signer.Sign([AkashMessages.CloseDeployment(wallet.Address, 9)], Account, new TxFee(1, 1));
        var b = signer.Sign([AkashMessages.CloseDeployment(wallet.Address, 9)], Account, new TxFee(1, 1));
        Assert.Equal(a.Bytes, b.Bytes);
        Assert.Equal(a.Hash, b.Hash);
    }

    [Fact]
    public void Tx_hash_is_upper_case_hex_sha256_of_the_raw_bytes()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var tx = new TxSigner(wallet).Sign([AkashMessages.CloseDeployment(wallet.Address, 9)], Account, new TxFee(1, 1));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(tx.Bytes)), tx.Hash);
        Assert.Matches("^[0-9A-F]{64}$", tx.Hash);
    }

    [Fact]
    public void Simulation_tx_has_an_empty_signature_and_zero_fee()
    {
        using var wallet = Wallet.FromMnemonic(TestMnemonics.One());
        var tx = TxSigner.ForSimulation([AkashMessages.CloseDeployment(wallet.Address, 9)], wallet.PublicKeyAny(), 3);
        Assert.True(Assert.Single(tx.Raw.Signatures).IsEmpty);
        var auth = AuthInfo.Parser.ParseFrom(tx.Raw.AuthInfoBytes);
        Assert.Equal(0UL, auth.Fee.GasLimit);
        Assert.Equal(3UL, auth.SignerInfos[0].Sequence);
    }

    [Theory]
    [InlineData(100000UL, 1.5, 150000UL)]
    [InlineData(100001UL, 1.5, 150002UL)]
    [InlineData(80000UL, 1.3, 104000UL)]
    [InlineData(0UL, 1.5, 0UL)]
    public void Gas_limit_is_simulated_gas_times_adjustment_rounded_up(ulong simulated, double adjustment, ulong expected) =>
        Assert.Equal(expected, TxFee.GasLimitFor(simulated, (decimal)adjustment));

    [Fact]
    public void Fee_is_gas_limit_times_price_rounded_up_in_uakt()
    {
        var fee = TxFee.FromSimulation(100001);
        Assert.Equal(150002UL, fee.GasLimit);
        Assert.Equal(3751UL, fee.Amount);
        Assert.Equal("uakt", fee.Denom);
    }

    [Fact]
    public void An_adjustment_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TxFee.GasLimitFor(1000, 0.9m));

    [Fact]
    public void Type_url_constants_match_the_generated_messages()
    {
        foreach (var (constant, generated) in TypeUrls.Declared)
        {
            Assert.Equal(generated, constant);
        }
    }

    [Fact]
    public void Unpacking_the_wrong_type_is_refused()
    {
        var any = TypeUrls.Pack(AkashMessages.CloseDeployment("akash1owner", 1));
        Assert.Throws<InvalidOperationException>(() => TypeUrls.Unpack<Protos.MarketV1Beta5.MsgCloseLease>(any));
    }
}
