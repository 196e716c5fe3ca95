using Flock.Akash.Chain;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosCryptoSecp256k1;
using Google.Protobuf;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>cosmos.auth.v1beta1.Query: the account number and sequence a signer needs; NotFound before first funding.</summary>
internal sealed class AuthQueryService(ChainCore chain) : Flock.Akash.Protos.CosmosAuthV1Beta1.Query.QueryBase
{
    public override Task<QueryAccountResponse> Account(QueryAccountRequest request, ServerCallContext context) =>
        Task.FromResult(new QueryAccountResponse { Account = TypeUrls.Pack(Find(request.Address)) });

    public override Task<QueryAccountInfoResponse> AccountInfo(QueryAccountInfoRequest request, ServerCallContext context) =>
        Task.FromResult(new QueryAccountInfoResponse { Info = Find(request.Address) });

    private BaseAccount Find(string address) => chain.Read(state =>
    {
        if (!state.Accounts.TryGetValue(address, out var account))
        {
            throw new RpcException(new Status(StatusCode.NotFound, $"account {address} not found"));
        }

        var result = new BaseAccount { Address = account.Address, AccountNumber = account.Number, Sequence = account.Sequence };
        if (account.PublicKey is not null)
        {
            result.PubKey = TypeUrls.Pack(new PubKey { Key = ByteString.CopyFrom(account.PublicKey) });
        }

        return result;
    });
}
