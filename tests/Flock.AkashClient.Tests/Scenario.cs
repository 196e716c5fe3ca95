using System.Security.Cryptography;
using Flock.Akash.Chain;
using Flock.Akash.Protos.BaseAttributesV1;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Google.Protobuf;

namespace Flock.AkashClient.Tests;

/// <summary>The FLock-like deployment messages (one GPU unit priced in uact) the lifecycle queries need.</summary>
public static class Scenario
{
    public static GroupSpec Group(string pricePerBlock = "10000")
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
            Price = new DecCoin { Denom = "uact", Amount = LegacyDec.ToWire(pricePerBlock) },
        });
        return spec;
    }

    public static MsgCreateDeployment Create(string owner, ulong dseq, ulong deposit = 5_000_000) =>
        AkashMessages.CreateDeployment(owner, dseq, [Group()], SHA256.HashData(BitConverter.GetBytes(dseq)), AkashMessages.Coin(deposit, "uact"));

    public static MsgCreateBid Bid(string owner, ulong dseq, string provider, string price = "8000") => new()
    {
        Id = new BidID { Owner = owner, Dseq = dseq, Gseq = 1, Oseq = 1, Provider = provider, Bseq = 0 },
        Price = new DecCoin { Denom = "uact", Amount = LegacyDec.ToWire(price) },
        Deposit = new Deposit { Amount = AkashMessages.Coin(500_000, "uakt"), Sources = { Source.Balance } },
    };
}
