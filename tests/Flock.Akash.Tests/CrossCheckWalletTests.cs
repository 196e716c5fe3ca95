using Flock.Akash.Chain;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Sdl;
using Flock.Akash.Tx;
using Google.Protobuf;

namespace Flock.Akash.Tests;

/// <summary>
/// Our wallet and SIGN_MODE_DIRECT signer against @cosmjs/proto-signing 0.39 (run by node from .tools/npm):
/// same address and public key for every generated mnemonic, same SignDoc bytes and same signature bytes
/// (RFC 6979 makes ECDSA deterministic, so equal keys and digests give equal signatures).
/// </summary>
public class CrossCheckWalletTests
{
    private const int Wallets = 32;

    [Fact]
    public async Task Addresses_sign_doc_bytes_and_signatures_equal_cosmjs()
    {
        var mnemonics = TestMnemonics.Corpus(Wallets);
        var wallets = mnemonics.Select(m => Wallet.FromMnemonic(m)).ToList();
        try
        {
            var compiled = SdlCompiler.Compile(File.ReadAllText(Path.Combine(Repo.SeedTemplates, "flock-training-node.sdl.yaml")).Replace("uakt", "uact", StringComparison.Ordinal));
            var docs = new List<(int Wallet, byte[] Body, byte[] AuthInfo, string ChainId, ulong AccountNumber, byte[] Ours)>();
            for (var i = 0; i < wallets.Count; i++)
            {
                var w = wallets[i];
                var signer = new TxSigner(w);
                IMessage[][] messageSets =
                [
                    [AkashMessages.CreateDeployment(w.Address, 1000UL + (ulong)i, compiled.Groups, compiled.Version, AkashMessages.Coin(500000, AkashNetwork.Uact))],
                    [AkashMessages.CloseLease(new LeaseID { Owner = w.Address, Dseq = 7, Gseq = 1, Oseq = 1, Provider = wallets[(i + 1) % wallets.Count].Address, Bseq = (uint)i }),
                     AkashMessages.DepositToDeployment(w.Address, w.Address, 7, AkashMessages.Coin(1, AkashNetwork.Uact))],
                ];
                for (var k = 0; k < messageSets.Length; k++)
                {
                    var account = new SignerAccount(k == 0 ? AkashNetwork.MainnetChainId : "sandbox-01", (ulong)(i * 31), (ulong)(i + k));
                    var tx = signer.Sign(messageSets[k], account, TxFee.FromSimulation(120000UL + (ulong)(i * 997)), memo: k == 0 ? "" : "flock-operator");
                    docs.Add((i, tx.Raw.BodyBytes.ToByteArray(), tx.Raw.AuthInfoBytes.ToByteArray(), account.ChainId, account.AccountNumber, tx.Raw.Signatures[0].ToByteArray()));
                }
            }

            var input = new
            {
                mnemonics,
                signDocs = docs.Select(d => new
                {
                    wallet = d.Wallet,
                    bodyHex = Convert.ToHexStringLower(d.Body),
                    authInfoHex = Convert.ToHexStringLower(d.AuthInfo),
                    chainId = d.ChainId,
                    accountNumber = d.AccountNumber.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }).ToArray(),
            };
            var reference = await NodeReference.RunAsync("wallet.cjs", input, CancellationToken.None);
            // The reference's whole output (addresses, keys, signatures) must not echo any mnemonic.
            var output = reference.GetRawText();
            foreach (var m in mnemonics)
            {
                SecretScan.NoMnemonic(output, m);
            }

            var expectedWallets = reference.GetProperty("wallets");
            Assert.Equal(Wallets, expectedWallets.GetArrayLength());
            for (var i = 0; i < Wallets; i++)
            {
                Assert.Equal(expectedWallets[i].GetProperty("address").GetString(), wallets[i].Address);
                Assert.Equal(expectedWallets[i].GetProperty("pubkeyHex").GetString(), Convert.ToHexStringLower(wallets[i].PublicKey));
            }

            var signatures = reference.GetProperty("signatures");
            Assert.Equal(docs.Count, signatures.GetArrayLength());
            for (var j = 0; j < docs.Count; j++)
            {
                var d = docs[j];
                var ourSignDoc = TxBuilder.SignDoc(ByteString.CopyFrom(d.Body), ByteString.CopyFrom(d.AuthInfo), d.ChainId, d.AccountNumber).ToByteArray();
                Assert.Equal(signatures[j].GetProperty("signDocHex").GetString(), Convert.ToHexStringLower(ourSignDoc));
                Assert.Equal(signatures[j].GetProperty("signatureHex").GetString(), Convert.ToHexStringLower(d.Ours));
            }
        }
        finally
        {
            wallets.ForEach(w => w.Dispose());
        }
    }
}
