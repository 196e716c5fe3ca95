using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// A provider account acting by hand through signed transactions on the chain simulator (bid, close its lease),
/// for tests of the operator's chain-side lease flow that need a chosen bid at a chosen moment.
/// </summary>
public sealed class BiddingProvider : IDisposable
{
    private readonly Wallet _wallet;
    private readonly AkashChainClient _client;
    private readonly TxSubmitter _submitter;

    private BiddingProvider(Wallet wallet, AkashChainClient client)
    {
        _wallet = wallet;
        _client = client;
        _submitter = new TxSubmitter(client, new SigningLanes());
    }

    public string Address => _wallet.Address;

    public static async Task<BiddingProvider> StartAsync(AkashChainSimulator chain, IEnumerable<KeyValuePair<string, string>>? attributes = null)
    {
        var wallet = Wallet.FromMnemonic(new NBitcoin.Mnemonic(NBitcoin.Wordlist.English, NBitcoin.WordCount.TwentyFour).ToString());
        await chain.FundAsync(wallet.Address, 100_000_000, "uakt");
        await chain.RegisterProviderAsync(wallet.Address, "https://127.0.0.1:8443",
            attributes ?? [new("capabilities/gpu/vendor/nvidia/model/a100", "true"), new("region", "us-west")]);
        return new BiddingProvider(wallet, new AkashChainClient(new AkashClientOptions(new Uri(chain.GrpcUrl), chain.ChainId)));
    }

    /// <summary>Bids on the open order of a deployment at a price per block (uact).</summary>
    public async Task BidAsync(string owner, ulong dseq, string price, uint oseq = 1)
    {
        var bid = new MsgCreateBid
        {
            Id = new BidID { Owner = owner, Dseq = dseq, Gseq = 1, Oseq = oseq, Provider = Address, Bseq = 0 },
            Price = new DecCoin { Denom = "uact", Amount = LegacyDec.ToWire(price) },
            Deposit = new Deposit { Amount = AkashMessages.Coin(500_000, "uakt"), Sources = { Source.Balance } },
        };
        await _submitter.SubmitAsync(_wallet, [bid]);
    }

    /// <summary>Closes the provider's side of an active lease, as a provider that gives the workload up (the group pauses).</summary>
    public async Task CloseLeaseAsync(string owner, ulong dseq, uint oseq = 1) =>
        await _submitter.SubmitAsync(_wallet, [new MsgCloseBid
        {
            Id = new BidID { Owner = owner, Dseq = dseq, Gseq = 1, Oseq = oseq, Provider = Address, Bseq = 0 },
            Reason = LeaseClosedReason.Unstable,
        }]);

    public void Dispose()
    {
        _client.Dispose();
        _wallet.Dispose();
    }
}
