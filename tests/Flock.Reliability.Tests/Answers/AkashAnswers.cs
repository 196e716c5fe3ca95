using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Protos.CosmosAuthV1Beta1;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.CosmosQueryV1Beta1;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Reliability.Tests.Support;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using EscrowAccount = Flock.Akash.Protos.EscrowTypesV1.Account;
using EscrowBalance = Flock.Akash.Protos.EscrowTypesV1.Balance;

namespace Flock.Reliability.Tests.Answers;

/// <summary>
/// A bogus node's answer to one query and what must come of it: an exception of <paramref name="Error"/> whose
/// message holds <paramref name="Says"/>, or (<paramref name="Error"/> null) a result <paramref name="Accept"/> takes.
/// <paramref name="Call"/> is the client call plus, where the answer is a LegacyDec amount, the parse the operator
/// applies to it.
/// </summary>
public sealed record AkashAnswer(string Name, Action<BogusAkashNode> Arrange, Func<AkashChainClient, Task<object?>> Call, System.Type? Error, params string[] Says)
{
    public Func<object?, bool>? Accept { get; init; }

    /// <summary>
    /// The client's per-call deadline. Generous by default (the bogus node answers at once; a busy machine's first
    /// HTTP/2 call may not); short only where the case is the deadline itself.
    /// </summary>
    public TimeSpan CallDeadline { get; init; } = TimeSpan.FromSeconds(20);

    public override string ToString() => Name;
}

/// <summary>
/// Answers an Akash node (cosmos-sdk gRPC: bank, auth, escrow v1, market v1beta5, deployment v1beta4, tendermint
/// GetLatestBlock) can give that no honest one does: amounts that are not sdk.Int or LegacyDec wire integers
/// (see /work/shared/research/akash.md on DecCoin precision), undecodable bytes, unknown enum values, missing
/// escrow accounts, endless pagination and failing statuses.
/// </summary>
public static class AkashAnswers
{
    public const string Owner = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn7hzdtn";

    private static Func<QueryBalanceRequest, QueryBalanceResponse> Balance(string amount) =>
        r => new QueryBalanceResponse { Balance = new Coin { Denom = r.Denom, Amount = amount } };

    private static Func<AkashChainClient, Task<object?>> GetBalance => async c => await c.GetBalanceAsync(Owner, "uact");

    private static Func<AkashChainClient, Task<object?>> GetHeight => async c => await c.GetLatestBlockHeightAsync();

    private static Func<AkashChainClient, Task<object?>> GetEscrow => async c => await c.GetDeploymentEscrowAsync(Owner, 1);

    // The escrow balance as the operator shows it: LegacyDec wire integer → decimal text.
    private static Func<AkashChainClient, Task<object?>> EscrowFunds => async c =>
        (await c.GetDeploymentEscrowAsync(Owner, 1))!.State.Funds.Select(f => LegacyDec.FromWire(f.Amount)).ToList();

    private static Func<AkashChainClient, Task<object?>> LeasePrices => async c =>
        (await c.ListLeasesAsync(Owner, 1)).Select(l => LegacyDec.FromWire(l.Lease.Price.Amount)).ToList();

    private static QueryAccountsResponse Escrow(string xid, string funds) => new()
    {
        Accounts =
        {
            new EscrowAccount
            {
                Id = new Flock.Akash.Protos.EscrowIdV1.Account { Scope = Flock.Akash.Protos.EscrowIdV1.Scope.Deployment, Xid = xid },
                State = new Flock.Akash.Protos.EscrowTypesV1.AccountState { Owner = Owner, Funds = { new EscrowBalance { Denom = "uact", Amount = funds } } },
            },
        },
    };

    private static QueryLeaseResponse Lease(string price, Lease.Types.State state = Flock.Akash.Protos.MarketV1.Lease.Types.State.Active) => new()
    {
        Lease = new Lease
        {
            Id = new LeaseID { Owner = Owner, Dseq = 1, Gseq = 1, Oseq = 1, Provider = Owner, Bseq = 0 },
            State = state,
            Price = new DecCoin { Denom = "uact", Amount = price },
        },
    };

    private static Action<BogusAkashNode> Fail(StatusCode code, string detail) => n => n.Balance = _ => throw new RpcException(new Status(code, detail));

    public static IReadOnlyList<AkashAnswer> All { get; } =
    [
        new("balance with a fraction", n => n.Balance = Balance("12.5"), GetBalance, typeof(AkashChainException), "bank/Balance", "'12.5'", Owner),
        new("negative balance", n => n.Balance = Balance("-5"), GetBalance, typeof(AkashChainException), "'-5'", "non-negative integer"),
        new("balance in words", n => n.Balance = Balance("lots"), GetBalance, typeof(AkashChainException), "'lots'"),
        new("balance with a thousands separator", n => n.Balance = Balance("1,000"), GetBalance, typeof(AkashChainException), "'1,000'"),
        new("balance of 200 digits", n => n.Balance = Balance(new string('9', 200)), GetBalance, null) { Accept = r => r is System.Numerics.BigInteger b && b.ToString().Length == 200 },
        new("no balance in the answer", n => n.Balance = _ => new QueryBalanceResponse(), GetBalance, null) { Accept = r => r is System.Numerics.BigInteger b && b.IsZero },
        new("node answers Internal", Fail(StatusCode.Internal, "panic: runtime error"), GetBalance, typeof(RpcException), "Internal", "panic: runtime error"),
        new("node unavailable", Fail(StatusCode.Unavailable, "connection reset"), GetBalance, typeof(AkashRpcUnavailableException), "bank/Balance", "Unavailable"),
        new("node rate-limits", Fail(StatusCode.ResourceExhausted, "rate limit"), GetBalance, typeof(AkashRpcUnavailableException), "bank/Balance", "ResourceExhausted"),
        new("node hangs past the call deadline", n => { n.Delay = TimeSpan.FromSeconds(5); n.Balance = Balance("1"); }, GetBalance,
            typeof(AkashRpcUnavailableException), "bank/Balance", "DeadlineExceeded") { CallDeadline = TimeSpan.FromMilliseconds(1500) },
        new("account of an unknown type and no account info",
            n => { n.Account = _ => new QueryAccountResponse { Account = new Any { TypeUrl = "/cosmos.vesting.v9.Weird", Value = ByteString.CopyFromUtf8("x") } }; n.AccountInfo = _ => new QueryAccountInfoResponse(); },
            async c => await c.GetAccountAsync(Owner), typeof(AkashChainException), "auth/AccountInfo", Owner, "/cosmos.vesting.v9.Weird"),
        new("base account bytes that do not decode",
            n => n.Account = _ => new QueryAccountResponse { Account = new Any { TypeUrl = TypeUrls.BaseAccount, Value = ByteString.CopyFrom(0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f) } },
            async c => await c.GetAccountAsync(Owner), typeof(AkashChainException), "auth/Account", Owner, "does not decode"),
        new("account not found", n => n.Account = _ => throw new RpcException(new Status(StatusCode.NotFound, "account not found")),
            async c => await c.GetAccountAsync(Owner), typeof(AkashAccountNotFundedException), Owner),
        new("latest block bytes that do not decode", n => n.LatestBlock = () => [0x1a, 0xff, 0xff, 0xff, 0xff, 0x0f], GetHeight,
            typeof(AkashChainException), "GetLatestBlock", "not a GetLatestBlockResponse"),
        new("latest block without a height and no height header", n => n.LatestBlock = () => [], GetHeight, typeof(AkashQueryUnsupportedException), "latest height is unknown"),
        new("height header that is not a number", n => n.HeightHeader = "twelve", GetHeight, typeof(AkashQueryUnsupportedException), "x-cosmos-block-height"),
        new("negative height header", n => n.HeightHeader = "-5", GetHeight, typeof(AkashQueryUnsupportedException), "x-cosmos-block-height"),
        new("no escrow account", n => n.EscrowAccounts = _ => new QueryAccountsResponse(), GetEscrow, null) { Accept = r => r is null },
        new("escrow of another deployment sharing the prefix", n => n.EscrowAccounts = _ => Escrow(Owner + "/12", "1000"), GetEscrow, null) { Accept = r => r is null },
        new("escrow funds with a decimal point", n => n.EscrowAccounts = _ => Escrow(Owner + "/1", "1.5"), EscrowFunds, typeof(FormatException), "'1.5'", "LegacyDec"),
        new("negative escrow funds", n => n.EscrowAccounts = _ => Escrow(Owner + "/1", "-100"), EscrowFunds, typeof(FormatException), "'-100'"),
        new("empty escrow funds", n => n.EscrowAccounts = _ => Escrow(Owner + "/1", ""), EscrowFunds, typeof(FormatException), "''", "LegacyDec"),
        new("lease price in scientific notation", n => n.Leases = _ => new QueryLeasesResponse { Leases = { Lease("1e18") } }, LeasePrices, typeof(FormatException), "'1e18'"),
        new("lease in a state no version of Akash has", n => n.Leases = _ => new QueryLeasesResponse { Leases = { Lease("1", (Lease.Types.State)99) } },
            async c => await c.ListLeasesAsync(Owner, 1), null)
        {
            Accept = r => r is IReadOnlyList<QueryLeaseResponse> leases && (int)leases.Single().Lease.State == 99 && leases.Single().Lease.State != Flock.Akash.Protos.MarketV1.Lease.Types.State.Active,
        },
        new("leases paging forever", n => n.Leases = r => new QueryLeasesResponse
            {
                Leases = { Lease("1000000000000000000") },
                Pagination = new PageResponse { NextKey = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()) },
            },
            async c => await c.ListLeasesAsync(Owner, 1), typeof(AkashChainException), "market/Leases", "more than 100 pages"),
        new("leases paging with the key it was asked for", n => n.Leases = r => new QueryLeasesResponse
            {
                Leases = { Lease("1000000000000000000") },
                Pagination = new PageResponse { NextKey = r.Pagination?.Key is { IsEmpty: false } key ? key : ByteString.CopyFromUtf8("page-2") },
            },
            async c => await c.ListLeasesAsync(Owner, 1), null) { Accept = r => r is IReadOnlyList<QueryLeaseResponse> { Count: 2 } },
        new("deployment not found", n => n.Deployment = _ => throw new RpcException(new Status(StatusCode.NotFound, "deployment not found")),
            async c => await c.GetDeploymentAsync(Owner, 1), null) { Accept = r => r is null },
    ];
}
