using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Grpc.Core;

namespace Flock.Sandbox.AkashChain.Services;

/// <summary>cosmos.bank.v1beta1.Query/Balance (a zero coin for unknown accounts and denoms, as the SDK answers).</summary>
internal sealed class BankQueryService(ChainCore chain) : Flock.Akash.Protos.CosmosBankV1Beta1.Query.QueryBase
{
    public override Task<QueryBalanceResponse> Balance(QueryBalanceRequest request, ServerCallContext context) =>
        Task.FromResult(new QueryBalanceResponse
        {
            Balance = new Coin { Denom = request.Denom, Amount = chain.Read(s => s.Balance(request.Address, request.Denom)).ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
}
