using Flock.Akash.Protos.AuditV1;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.BaseResourcesV1Beta4;
using Flock.Akash.Protos.BmeV1;
using Flock.Akash.Protos.CertV1;
using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.EscrowTypesV1;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Akash.Protos.ProviderV1Beta4;
using Google.Protobuf.Reflection;

namespace Flock.Akash.Tests;

/// <summary>
/// The field numbers that are easy to get wrong and silently break the wire (checked against chain-sdk and
/// cosmos-sdk protos, see research akash.md §2-§4). A wrong number parses without error and reads garbage.
/// </summary>
public class ProtoFieldTests
{
    public static TheoryData<string, string, int> Fields => new()
    {
        { BidID.Descriptor.FullName, "bseq", 6 },
        { LeaseID.Descriptor.FullName, "bseq", 6 },
        { LeaseFilters.Descriptor.FullName, "bseq", 7 },
        { BidFilters.Descriptor.FullName, "state", 6 },
        { MsgCreateDeployment.Descriptor.FullName, "hash", 3 },
        { MsgCreateDeployment.Descriptor.FullName, "deposit", 4 },
        { MsgUpdateDeployment.Descriptor.FullName, "hash", 3 },
        { Deposit.Descriptor.FullName, "sources", 5 },
        { MsgAccountDeposit.Descriptor.FullName, "deposit", 3 },
        { QueryAccountsRequest.Descriptor.FullName, "pagination", 5 },
        { QueryPaymentsRequest.Descriptor.FullName, "pagination", 6 },
        { MsgCloseLease.Descriptor.FullName, "reason", 2 },
        { Lease.Descriptor.FullName, "reason", 6 },
        { AccountState.Descriptor.FullName, "deposits", 6 },
        { OfferPrices.Descriptor.FullName, "cpu", 2 },
        { Resources.Descriptor.FullName, "endpoints", 6 },
        { Storage.Descriptor.FullName, "attributes", 3 },
        { ResourceUnit.Descriptor.FullName, "price", 3 },
        { Certificate.Descriptor.FullName, "state", 2 },
        { MsgCreateCertificate.Descriptor.FullName, "pubkey", 3 },
        { Provider.Descriptor.FullName, "host_uri", 2 },
        { AuditedProvider.Descriptor.FullName, "attributes", 4 },
        { MsgMintACT.Descriptor.FullName, "coins_to_burn", 3 },
        { TxBody.Descriptor.FullName, "extension_options", 1023 },
        { TxBody.Descriptor.FullName, "non_critical_extension_options", 2047 },
        { SignDoc.Descriptor.FullName, "account_number", 4 },
        { TxResponse.Descriptor.FullName, "events", 13 },
        { BaseAccount.Descriptor.FullName, "sequence", 4 },
        { SimulateRequest.Descriptor.FullName, "tx_bytes", 2 },
    };

    [Theory]
    [MemberData(nameof(Fields))]
    public void Field_numbers_are_the_chains(string message, string field, int number)
    {
        var descriptor = Descriptors.Single(d => d.FullName == message);
        Assert.Equal(number, descriptor.FindFieldByName(field).FieldNumber);
    }

    [Theory]
    [InlineData("lease_closed_owner", 1)]
    [InlineData("lease_closed_reason_manifest_timeout", 10003)]
    [InlineData("lease_closed_reason_insufficient_funds", 20000)]
    public void Lease_close_reasons_have_the_chains_numbers(string name, int number) =>
        Assert.Equal(number, Protos.MarketV1.TypesReflection.Descriptor.FindTypeByName<EnumDescriptor>("LeaseClosedReason").FindValueByName(name).Number);

    [Fact]
    public void Endpoint_kinds_and_deposit_sources_have_the_chains_numbers()
    {
        Assert.Equal(2, (int)Endpoint.Types.Kind.LeasedIp);
        Assert.Equal(1, (int)Source.Balance);
        Assert.Equal(3, (int)Protos.EscrowTypesV1.State.Overdrawn);
    }

    [Fact]
    public void Services_are_the_chains_full_names()
    {
        Assert.Equal("akash.market.v1beta5.Query", Protos.MarketV1Beta5.Query.Descriptor.FullName);
        Assert.Equal("akash.deployment.v1beta4.Msg", Protos.DeploymentV1Beta4.Msg.Descriptor.FullName);
        Assert.Equal("cosmos.tx.v1beta1.Service", Service.Descriptor.FullName);
        Assert.Equal("akash.bme.v1.Msg", Protos.BmeV1.Msg.Descriptor.FullName);
    }

    private static IEnumerable<MessageDescriptor> Descriptors =>
        new FileDescriptor[]
        {
            Protos.MarketV1.TypesReflection.Descriptor, Protos.MarketV1Beta5.TypesReflection.Descriptor, Protos.MarketV1Beta5.MsgReflection.Descriptor,
            DeploymentmsgReflection.Descriptor, GroupspecReflection.Descriptor, DepositReflection.Descriptor,
            Protos.EscrowV1.MsgReflection.Descriptor, Protos.EscrowV1.QueryReflection.Descriptor, Protos.EscrowTypesV1.TypesReflection.Descriptor,
            ResourcesReflection.Descriptor, CertReflection.Descriptor, ProviderReflection.Descriptor, AuditReflection.Descriptor,
            MsgsReflection.Descriptor, TxReflection.Descriptor, AbciReflection.Descriptor, AuthReflection.Descriptor, ServiceReflection.Descriptor,
        }.SelectMany(f => f.MessageTypes);
}
