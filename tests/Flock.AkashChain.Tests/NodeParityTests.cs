using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Protos.CosmosBankV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Akash.Protos.EscrowV1;
using Flock.Akash.Tx;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashChain.Protos.CosmosBaseTendermintV1Beta1;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using DeploymentParamsRequest = Flock.Akash.Protos.DeploymentV1Beta4.QueryParamsRequest;

namespace Flock.AkashChain.Tests;

/// <summary>What a real node does that a client depends on: the latest height, CheckTx-state sequences, escrow xid filters, failed-tx responses.</summary>
public sealed class NodeParityTests
{
    private static readonly Method<GetLatestBlockRequest, GetLatestBlockResponse> GetLatestBlock = new(
        MethodType.Unary, "cosmos.base.tendermint.v1beta1.Service", "GetLatestBlock",
        Marshallers.Create<GetLatestBlockRequest>(r => r.ToByteArray(), GetLatestBlockRequest.Parser.ParseFrom),
        Marshallers.Create<GetLatestBlockResponse>(r => r.ToByteArray(), GetLatestBlockResponse.Parser.ParseFrom));

    [Fact]
    public async Task The_clients_latest_height_is_the_simulators_height()
    {
        await using var s = await Scenario.StartAsync();
        await s.Chain.MineAsync(4);
        using var client = new AkashChainClient(new AkashClientOptions(new Uri(s.Chain.GrpcUrl), s.Chain.ChainId));
        Assert.Equal(s.Chain.Height, await client.GetLatestBlockHeightAsync());

        await s.Chain.MineAsync(2);
        Assert.Equal(s.Chain.Height, await client.GetLatestBlockHeightAsync());
    }

    [Fact]
    public async Task Get_latest_block_fills_both_headers_with_height_chain_id_and_time()
    {
        await using var s = await Scenario.StartAsync(new AkashChainOptions(ChainId: "sandbox-7"));
        await s.Chain.MineAsync(2);
        using var channel = GrpcChannel.ForAddress(s.Chain.GrpcUrl);
        var response = await channel.CreateCallInvoker().AsyncUnaryCall(GetLatestBlock, null, default, new GetLatestBlockRequest());

        Assert.Equal(s.Chain.Height, response.SdkBlock.Header.Height);
        Assert.Equal(s.Chain.Height, response.Block.Header.Height);
        Assert.Equal("sandbox-7", response.SdkBlock.Header.ChainId);
        Assert.Equal("sandbox-7", response.Block.Header.ChainId);
        Assert.NotNull(response.SdkBlock.Header.Time);
        Assert.Equal(32, response.BlockId.Hash.Length);
        Assert.Equal(response.BlockId.Hash, (await channel.CreateCallInvoker().AsyncUnaryCall(GetLatestBlock, null, default, new GetLatestBlockRequest())).BlockId.Hash);
    }

    [Fact]
    public async Task Every_query_response_carries_the_block_height_header()
    {
        await using var s = await Scenario.StartAsync();
        await s.Chain.MineAsync(3);
        using var call = s.Owner.Deployments.ParamsAsync(new DeploymentParamsRequest());
        var headers = await call.ResponseHeadersAsync;
        await call.ResponseAsync;
        Assert.Equal(s.Chain.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), headers.GetValue("x-cosmos-block-height"));

        // A NotFound answer too: the node sets the header before the handler runs.
        using var missing = s.Owner.Deployments.DeploymentAsync(new Flock.Akash.Protos.DeploymentV1Beta4.QueryDeploymentRequest { Id = new() { Owner = s.Owner.Address, Dseq = 9 } });
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, () => missing.ResponseAsync);
        Assert.Equal(s.Chain.Height.ToString(System.Globalization.CultureInfo.InvariantCulture), (await missing.ResponseHeadersAsync).GetValue("x-cosmos-block-height"));
    }

    [Fact]
    public async Task A_node_without_the_height_service_and_header_is_reported_unsupported()
    {
        await using var s = await Scenario.StartAsync();
        s.Chain.Faults.LatestHeightUnsupported = true;
        using var client = new AkashChainClient(new AkashClientOptions(new Uri(s.Chain.GrpcUrl), s.Chain.ChainId));
        await Assert.ThrowsAsync<AkashQueryUnsupportedException>(() => client.GetLatestBlockHeightAsync());

        s.Chain.Faults.Clear();
        Assert.Equal(s.Chain.Height, await client.GetLatestBlockHeightAsync());
    }

    [Fact]
    public async Task Simulate_counts_the_signers_pending_txs_as_the_check_state_does()
    {
        await using var s = await Scenario.StartAsync();
        var first = await s.Owner.SignAsync([Send(s, 1)]);
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(first)).Code);

        // Sequence 0 is taken by the pending tx: simulating it again is a mismatch naming the CheckTx sequence.
        var stale = await RpcAssert.ThrowsAsync(StatusCode.Unknown, () => SimulateAsync(s.Owner, 0));
        Assert.Contains("account sequence mismatch, expected 1, got 0", stale.Status.Detail, StringComparison.Ordinal);

        // Sequence 1 simulates while 0 is still pending, as on a real node.
        Assert.True(await SimulateAsync(s.Owner, 1) > 0);
    }

    [Fact]
    public async Task Two_txs_broadcast_back_to_back_from_one_account_are_both_accepted_and_included_in_order()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync();
        Assert.Equal(0ul, account.Sequence);

        var first = await s.Owner.SignAsync([Send(s, 1)], account);
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(first)).Code);

        // Built while the first is pending: simulated (no fallback gas), signed and checked at sequence N+1.
        var next = account with { Sequence = account.Sequence + 1 };
        var fee = TxFee.FromSimulation(await SimulateAsync(s.Owner, next.Sequence));
        var second = await s.Owner.SignAsync([Send(s, 2)], next, fee);
        var check = await s.Owner.BroadcastAsync(second);
        Assert.True(check.Code == 0, $"CheckTx rejected: {check.Code} {check.RawLog}");

        await s.Chain.MineAsync(1);
        var a = (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = first.Hash })).TxResponse;
        var b = (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = second.Hash })).TxResponse;
        // DeliverTx checks sequences again, so both succeeding in one block means 0 ran before 1.
        Assert.True(a.Code == 0, $"first: {a.Code} {a.RawLog}");
        Assert.True(b.Code == 0, $"second: {b.Code} {b.RawLog}");
        Assert.Equal(a.Height, b.Height);
        Assert.Equal(2ul, (await s.Owner.AccountAsync()).Sequence);
        Assert.Equal(Scenario.ProviderUakt + 3, await s.Provider.BalanceAsync("uakt"));
    }

    [Fact]
    public async Task Check_tx_counts_pending_txs_for_the_sequence_and_refuses_a_gap()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync();
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(await s.Owner.SignAsync([Send(s, 1)], account, TxFee.ForGas(200_000)))).Code);

        var replay = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([Send(s, 2)], account, TxFee.ForGas(200_000)));
        Assert.Equal((32u, "sdk"), (replay.Code, replay.Codespace));
        Assert.Contains("expected 1, got 0", replay.RawLog, StringComparison.Ordinal);

        var gap = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([Send(s, 3)], account with { Sequence = 2 }, TxFee.ForGas(200_000)));
        Assert.Equal(32u, gap.Code);
        Assert.Contains("expected 1, got 2", gap.RawLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_escrow_accounts_xid_filter_matches_an_id_exactly_and_a_scoped_key_by_prefix()
    {
        await using var s = await Scenario.StartAsync();
        await s.Owner.SubmitOkAsync(s.Create(1));
        await s.Owner.SubmitOkAsync(s.Create(12));
        var owner = s.Owner.Address;

        async Task<string[]> Xids(string xid, string state = "") =>
            (await s.Owner.Escrow.AccountsAsync(new QueryAccountsRequest { Xid = xid, State = state })).Accounts.Select(a => a.Id.Xid).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal([$"{owner}/1"], await Xids($"{owner}/1"));
        Assert.Equal([$"{owner}/12"], await Xids($"{owner}/12"));
        Assert.Empty(await Xids($"{owner}/2"));
        Assert.Empty(await Xids(owner));
        Assert.Empty(await Xids($"{owner}/1", "closed"));
        Assert.Equal([$"{owner}/1"], await Xids($"{owner}/1", "open"));

        // With the scope the node scans its store keys ("deployment/owner/dseq") by prefix, as its own tests query.
        Assert.Equal([$"{owner}/1", $"{owner}/12"], await Xids($"deployment/{owner}"));
        Assert.Equal([$"{owner}/1", $"{owner}/12"], await Xids($"deployment/{owner}/1"));
        Assert.Equal([$"{owner}/12"], await Xids($"deployment/{owner}/12"));
        Assert.Empty(await Xids($"bid/{owner}"));
    }

    [Fact]
    public async Task A_tx_that_fails_in_deliver_tx_carries_its_tx_like_an_included_one()
    {
        await using var s = await Scenario.StartAsync();

        // A message failure (no such deployment): fee and sequence spent, Tx filled.
        var failed = await s.Owner.SubmitAsync(AkashMessages.CloseDeployment(s.Owner.Address, 6));
        Assert.NotEqual(0u, failed.Code);
        Assert.NotNull(failed.Tx);
        var tx = failed.Tx.Unpack<Flock.Akash.Protos.CosmosTxV1Beta1.Tx>();
        Assert.Equal("/akash.deployment.v1beta4.MsgCloseDeployment", Assert.Single(tx.Body.Messages).TypeUrl);
        Assert.Equal(tx, (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = failed.Txhash })).Tx);

        // Out of gas: the simulated gas without margin is too little for the signed tx.
        var account = await s.Owner.AccountAsync();
        var tight = await s.Owner.SignAsync([Send(s, 1)], account, TxFee.ForGas(await SimulateAsync(s.Owner, account.Sequence, Send(s, 1))));
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(tight)).Code);
        await s.Chain.MineAsync(1);
        var outOfGas = (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = tight.Hash })).TxResponse;
        Assert.Equal(11u, outOfGas.Code);
        Assert.NotNull(outOfGas.Tx);
        Assert.Equal(tight.Hash, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(ToRaw(outOfGas.Tx.Unpack<Flock.Akash.Protos.CosmosTxV1Beta1.Tx>()))));
    }

    private static MsgSend Send(Scenario s, ulong uakt) =>
        new() { FromAddress = s.Owner.Address, ToAddress = s.Provider.Address, Amount = { AkashMessages.Coin(uakt, "uakt") } };

    private static async Task<ulong> SimulateAsync(ChainClient client, ulong sequence, IMessage? message = null)
    {
        var msg = message ?? new MsgSend { FromAddress = client.Address, ToAddress = client.Address, Amount = { AkashMessages.Coin(1, "uakt") } };
        var simulation = TxSigner.ForSimulation([msg], client.Wallet.PublicKeyAny(), sequence);
        return (await client.Tx.SimulateAsync(new SimulateRequest { TxBytes = ByteString.CopyFrom(simulation.Bytes) })).GasInfo.GasUsed;
    }

    private static byte[] ToRaw(Flock.Akash.Protos.CosmosTxV1Beta1.Tx tx) =>
        new TxRaw { BodyBytes = tx.Body.ToByteString(), AuthInfoBytes = tx.AuthInfo.ToByteString(), Signatures = { tx.Signatures } }.ToByteArray();
}
