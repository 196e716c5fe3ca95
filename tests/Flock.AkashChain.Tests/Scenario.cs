using System.Security.Cryptography;
using Flock.Akash.Chain;
using Flock.Akash.Protos.BaseAttributesV1;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Sandbox.AkashChain;
using Google.Protobuf;

namespace Flock.AkashChain.Tests;

/// <summary>A fresh chain with a funded owner and a registered, funded provider; blocks only via MineAsync.</summary>
public sealed class Scenario : IAsyncDisposable
{
    public const ulong OwnerUakt = 50_000_000;
    public const ulong OwnerUact = 20_000_000;
    public const ulong ProviderUakt = 10_000_000;
    public const ulong Deposit = 5_000_000;

    private Scenario(AkashChainSimulator chain, ChainClient owner, ChainClient provider)
    {
        Chain = chain;
        Owner = owner;
        Provider = provider;
    }

    public AkashChainSimulator Chain { get; }
    public ChainClient Owner { get; }
    public ChainClient Provider { get; }

    public static async Task<Scenario> StartAsync(AkashChainOptions? options = null)
    {
        var chain = await AkashChainSimulator.StartAsync(options ?? new AkashChainOptions());
        var owner = new ChainClient(chain, "owner");
        var provider = new ChainClient(chain, "provider");
        await chain.FundAsync(owner.Address, [new Coin { Denom = "uakt", Amount = OwnerUakt.ToString(System.Globalization.CultureInfo.InvariantCulture) }, new Coin { Denom = "uact", Amount = OwnerUact.ToString(System.Globalization.CultureInfo.InvariantCulture) }]);
        await chain.FundAsync(provider.Address, ProviderUakt, "uakt");
        await chain.RegisterProviderAsync(provider.Address, "https://provider.example:8443", [new("region", "us-west"), new("host", "akash")]);
        return new Scenario(chain, owner, provider);
    }

    /// <summary>The FLock-like group: one unit, priced per block in <paramref name="denom"/>.</summary>
    public static GroupSpec Group(string pricePerBlock = "10000", string denom = "uact")
    {
        var spec = new GroupSpec { Name = "akash", Requirements = new PlacementRequirements { SignedBy = new SignedBy() } };
        spec.Requirements.Attributes.Add(new Flock.Akash.Protos.BaseAttributesV1.Attribute { Key = "host", Value = "akash" });
        spec.Resources.Add(new ResourceUnit
        {
            Resource = new Resources
            {
                Id = 1,
                Cpu = new CPU { Units = new ResourceValue { Val = ByteString.CopyFromUtf8("8000") } },
                Memory = new Memory { Quantity = new ResourceValue { Val = ByteString.CopyFromUtf8("25769803776") } },
                Storage = { new Storage { Name = "default", Quantity = new ResourceValue { Val = ByteString.CopyFromUtf8("107374182400") } } },
                Gpu = new GPU { Units = new ResourceValue { Val = ByteString.CopyFromUtf8("1") } },
                Endpoints = { new Endpoint { Kind = Endpoint.Types.Kind.SharedHttp } },
            },
            Count = 1,
            Price = new DecCoin { Denom = denom, Amount = LegacyDec.ToWire(pricePerBlock) },
        });
        return spec;
    }

    public static byte[] Hash(string text) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));

    public MsgCreateDeployment Create(ulong dseq, ulong deposit = Deposit, string price = "10000") =>
        AkashMessages.CreateDeployment(Owner.Address, dseq, [Group(price)], Hash($"manifest-{dseq}"), AkashMessages.Coin(deposit, "uact"));

    public MsgCreateBid Bid(ulong dseq, string price = "8000", uint oseq = 1) => new()
    {
        Id = new BidID { Owner = Owner.Address, Dseq = dseq, Gseq = 1, Oseq = oseq, Provider = Provider.Address, Bseq = 0 },
        Price = new DecCoin { Denom = "uact", Amount = LegacyDec.ToWire(price) },
        Deposit = new Flock.Akash.Protos.BaseDepositV1.Deposit { Amount = AkashMessages.Coin(500_000, "uakt"), Sources = { Source.Balance } },
    };

    /// <summary>Deployment created, provider bid, owner leased: returns the lease id.</summary>
    public async Task<LeaseID> LeaseAsync(ulong dseq, ulong deposit = Deposit, string price = "8000")
    {
        await Owner.SubmitOkAsync(Create(dseq, deposit, price));
        var bid = Bid(dseq, price);
        await Provider.SubmitOkAsync(bid);
        await Owner.SubmitOkAsync(AkashMessages.CreateLease(bid.Id));
        return AkashMessages.LeaseOf(bid.Id);
    }

    public async ValueTask DisposeAsync()
    {
        Owner.Dispose();
        Provider.Dispose();
        await Chain.DisposeAsync();
    }
}
