using Flock.Akash.Chain;
using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Akash.Protos.CosmosTxV1Beta1;
using Flock.Akash.Protos.DeploymentV1;
using Flock.Akash.Protos.DeploymentV1Beta4;
using Flock.Akash.Protos.MarketV1Beta5;
using Google.Protobuf;
using Grpc.Core;
using EscrowState = Flock.Akash.Protos.EscrowTypesV1.State;

namespace Flock.AkashChain.Tests;

public sealed class CreateDeploymentTests
{
    private static ulong FeeOf(GetTxResponse tx) => ulong.Parse(tx.Tx.AuthInfo.Fee.Amount.Single(c => c.Denom == "uakt").Amount, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_funded_account_creates_a_deployment_with_an_open_order_and_funded_escrow()
    {
        await using var s = await Scenario.StartAsync();
        var signed = await s.Owner.SignAsync([s.Create(100)]);
        var check = await s.Owner.BroadcastAsync(signed);
        Assert.Equal(0u, check.Code);
        Assert.Equal(signed.Hash, check.Txhash);

        // Not included until a block is produced.
        await RpcAssert.ThrowsAsync(StatusCode.NotFound, async () => await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = signed.Hash }));
        await s.Chain.MineAsync(1);
        var included = await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = signed.Hash });
        Assert.Equal(0u, included.TxResponse.Code);
        Assert.Equal(s.Chain.Height, included.TxResponse.Height);
        Assert.True(included.TxResponse.GasUsed > 0 && included.TxResponse.GasUsed <= included.TxResponse.GasWanted);

        var deployment = await s.Owner.Deployments.DeploymentAsync(new QueryDeploymentRequest { Id = new DeploymentID { Owner = s.Owner.Address, Dseq = 100 } });
        Assert.Equal(Deployment.Types.State.Active, deployment.Deployment.State);
        Assert.Equal(Group.Types.State.Open, Assert.Single(deployment.Groups).State);
        Assert.Equal(EscrowState.Open, deployment.EscrowAccount.State.State);
        Assert.Equal(LegacyDec.ToWire("5000000"), deployment.EscrowAccount.State.Funds.Single().Amount);
        Assert.Equal($"{s.Owner.Address}/100", deployment.EscrowAccount.Id.Xid);

        var orders = await s.Owner.Market.OrdersAsync(new QueryOrdersRequest { Filters = new OrderFilters { Owner = s.Owner.Address, Dseq = 100 } });
        var order = Assert.Single(orders.Orders);
        Assert.Equal(Order.Types.State.Open, order.State);
        Assert.Equal(1u, order.Id.Oseq);

        Assert.Equal(Scenario.OwnerUact - Scenario.Deposit, await s.Owner.BalanceAsync("uact"));
        Assert.Equal(Scenario.OwnerUakt - FeeOf(included), await s.Owner.BalanceAsync("uakt"));
        Assert.Equal(1ul, (await s.Owner.AccountAsync()).Sequence);
    }

    [Fact]
    public async Task A_tampered_signature_is_rejected_with_code_4_and_the_sdk_wording()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync();
        var signed = await s.Owner.SignAsync([s.Create(1)], account);
        var signature = signed.Raw.Signatures[0].ToByteArray();
        signature[10] ^= 0x01;
        signed.Raw.Signatures[0] = Google.Protobuf.ByteString.CopyFrom(signature);

        var response = await s.Owner.BroadcastAsync(signed);
        Assert.Equal(4u, response.Code);
        Assert.Equal("sdk", response.Codespace);
        Assert.Equal($"signature verification failed; please verify account number ({account.AccountNumber}) and chain-id (akashnet-2): (unable to verify single signer signature): unauthorized", response.RawLog);
        await s.Chain.MineAsync(1);
        Assert.Equal(0ul, (await s.Owner.AccountAsync()).Sequence);
        Assert.Equal(Scenario.OwnerUakt, await s.Owner.BalanceAsync("uakt"));
    }

    [Fact]
    public async Task A_high_s_signature_is_rejected_even_though_it_is_mathematically_valid()
    {
        await using var s = await Scenario.StartAsync();
        var signed = await s.Owner.SignAsync([s.Create(1)]);
        var sig = signed.Raw.Signatures[0].ToByteArray();
        var n = System.Numerics.BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var high = (n - new System.Numerics.BigInteger(sig.AsSpan(32, 32), isUnsigned: true, isBigEndian: true)).ToByteArray(isUnsigned: true, isBigEndian: true);
        Array.Clear(sig, 32, 32);
        high.CopyTo(sig, 64 - high.Length);
        signed.Raw.Signatures[0] = Google.Protobuf.ByteString.CopyFrom(sig);

        Assert.Equal(4u, (await s.Owner.BroadcastAsync(signed)).Code);
    }

    [Fact]
    public async Task A_wrong_sequence_is_rejected_with_code_32()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync() with { Sequence = 3 };
        var response = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([s.Create(1)], account));
        Assert.Equal(32u, response.Code);
        Assert.Equal("account sequence mismatch, expected 0, got 3: incorrect account sequence", response.RawLog);
    }

    [Fact]
    public async Task Consecutive_transactions_in_one_block_use_the_next_sequences()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync();
        var first = await s.Owner.SignAsync([s.Create(1)], account);
        var second = await s.Owner.SignAsync([s.Create(2)], account with { Sequence = 1 });
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(first)).Code);
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(second)).Code);

        // Replaying the first one is now a sequence error: the mempool already holds sequence 0 and 1.
        var replay = await s.Owner.BroadcastAsync(first);
        Assert.Equal(32u, replay.Code);
        Assert.Equal("account sequence mismatch, expected 2, got 0: incorrect account sequence", replay.RawLog);

        await s.Chain.MineAsync(1);
        Assert.Equal(0u, (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = second.Hash })).TxResponse.Code);
        Assert.Equal(2ul, (await s.Owner.AccountAsync()).Sequence);
    }

    [Fact]
    public async Task A_signature_for_another_chain_id_fails_verification()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync("akashnet-1");
        var response = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([s.Create(1)], account));
        Assert.Equal(4u, response.Code);
        Assert.Contains("chain-id (akashnet-2)", response.RawLog, StringComparison.Ordinal);
        Assert.EndsWith(": unauthorized", response.RawLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fee_below_the_minimum_gas_price_is_rejected_with_code_13()
    {
        await using var s = await Scenario.StartAsync();
        var response = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([s.Create(1)], fee: new Flock.Akash.Tx.TxFee(200_000, 4_999)));
        Assert.Equal(13u, response.Code);
        Assert.Equal("insufficient fees; got: 4999uakt required: 5000uakt: insufficient fee", response.RawLog);

        var wrongDenom = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([s.Create(1)], fee: new Flock.Akash.Tx.TxFee(200_000, 9_000, "uact")));
        Assert.Equal(13u, wrongDenom.Code);
    }

    [Fact]
    public async Task An_account_that_cannot_pay_the_fee_is_rejected_with_code_5()
    {
        await using var s = await Scenario.StartAsync();
        using var poor = new ChainClient(s.Chain, "poor");
        await s.Chain.FundAsync(poor.Address, 100, "uakt");
        var response = await poor.BroadcastAsync(await poor.SignAsync([new Flock.Akash.Protos.CosmosBankV1Beta1.MsgSend { FromAddress = poor.Address, ToAddress = s.Owner.Address, Amount = { AkashMessages.Coin(1, "uakt") } }]));
        Assert.Equal(5u, response.Code);
        Assert.Matches("^spendable balance 100uakt is smaller than [0-9]+uakt: insufficient funds: insufficient funds$", response.RawLog);
    }

    [Fact]
    public async Task A_deposit_larger_than_the_balance_fails_in_the_block_and_still_costs_the_fee()
    {
        await using var s = await Scenario.StartAsync();
        var result = await s.Owner.SubmitAsync(s.Create(1, deposit: Scenario.OwnerUact + 1));
        Assert.Equal(5u, result.Code);
        Assert.Equal($"failed to execute message; message index: 0: spendable balance {Scenario.OwnerUact}uact is smaller than {Scenario.OwnerUact + 1}uact: insufficient funds", result.RawLog);
        Assert.Equal(Scenario.OwnerUact, await s.Owner.BalanceAsync("uact"));
        Assert.True(await s.Owner.BalanceAsync("uakt") < Scenario.OwnerUakt);
        Assert.Empty((await s.Owner.Deployments.DeploymentsAsync(new QueryDeploymentsRequest())).Deployments);
        Assert.Equal(1ul, (await s.Owner.AccountAsync()).Sequence);
    }

    [Fact]
    public async Task A_uakt_priced_deployment_is_refused_since_the_bme_upgrade()
    {
        await using var s = await Scenario.StartAsync();
        var uakt = AkashMessages.CreateDeployment(s.Owner.Address, 1, [Scenario.Group(denom: "uakt")], Scenario.Hash("m"), AkashMessages.Coin(5_000_000, "uakt"));
        var result = await s.Owner.SubmitAsync(uakt);
        Assert.Equal(20u, result.Code);
        Assert.Equal("deployment", result.Codespace);
        Assert.Equal("failed to execute message; message index: 0: Deposit invalid", result.RawLog);

        // uact deposit with a uakt price never reaches a block: ValidateBasic in CheckTx.
        var mixed = AkashMessages.CreateDeployment(s.Owner.Address, 2, [Scenario.Group()], Scenario.Hash("m"), AkashMessages.Coin(5_000_000, "uact"));
        mixed.Groups[0].Resources[0].Price.Denom = "uakt";
        var check = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([mixed]));
        Assert.Equal(20u, check.Code);
        Assert.Equal("Mismatched denominations (uact != uakt): Deposit invalid", check.RawLog);
    }

    [Fact]
    public async Task Deposit_below_the_minimum_and_bad_hashes_are_refused()
    {
        await using var s = await Scenario.StartAsync();
        var low = await s.Owner.SubmitAsync(s.Create(1, deposit: 499_999));
        Assert.Equal(20u, low.Code);
        Assert.Equal("failed to execute message; message index: 0: Deposit too low - 499999 < 500000uact: Deposit invalid", low.RawLog);

        var shortHash = s.Create(2);
        shortHash.Hash = Google.Protobuf.ByteString.CopyFrom(new byte[31]);
        var check = await s.Owner.BroadcastAsync(await s.Owner.SignAsync([shortHash]));
        Assert.Equal(10u, check.Code);
        Assert.Equal("Invalid: deployment hash", check.RawLog);

        await s.Owner.SubmitOkAsync(s.Create(3));
        var again = await s.Owner.SubmitAsync(s.Create(3));
        Assert.Equal(3u, again.Code);
        Assert.EndsWith("Deployment exists", again.RawLog, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_message_type_is_a_tx_parse_error()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync();
        var body = new TxBody { Messages = { new Google.Protobuf.WellKnownTypes.Any { TypeUrl = "/akash.deployment.v1beta3.MsgCreateDeployment", Value = s.Create(1).ToByteString() } } };
        var authInfo = Flock.Akash.Tx.TxBuilder.AuthInfo(s.Owner.Wallet.PublicKeyAny(), account.Sequence, new Flock.Akash.Tx.TxFee(200_000, 5_000));
        var signed = s.Owner.Signer.Sign(body.ToByteString(), authInfo.ToByteString(), account.ChainId, account.AccountNumber);
        var response = await s.Owner.BroadcastAsync(signed);
        Assert.Equal(2u, response.Code);
        Assert.Equal("unable to resolve type URL /akash.deployment.v1beta3.MsgCreateDeployment: tx parse error", response.RawLog);
    }

    [Fact]
    public async Task Signing_for_someone_else_is_an_invalid_pubkey()
    {
        await using var s = await Scenario.StartAsync();
        var account = await s.Owner.AccountAsync();
        // The provider's key signs a message whose signer is the owner.
        var tx = s.Provider.Signer.Sign([s.Create(1)], account, new Flock.Akash.Tx.TxFee(300_000, 7_500));
        var response = await s.Owner.BroadcastAsync(tx);
        Assert.Equal(8u, response.Code);
        Assert.Equal($"pubKey does not match signer address {s.Owner.Address} with signer index: 0: invalid pubkey", response.RawLog);
    }

    [Fact]
    public async Task Simulate_is_deterministic_and_out_of_gas_is_code_11()
    {
        await using var s = await Scenario.StartAsync();
        var sim = Flock.Akash.Tx.TxSigner.ForSimulation([s.Create(1)], s.Owner.Wallet.PublicKeyAny(), 0);
        var request = new SimulateRequest { TxBytes = Google.Protobuf.ByteString.CopyFrom(sim.Bytes) };
        var first = await s.Owner.Tx.SimulateAsync(request);
        var second = await s.Owner.Tx.SimulateAsync(request);
        Assert.Equal(first.GasInfo.GasUsed, second.GasInfo.GasUsed);
        Assert.True(first.GasInfo.GasUsed > 100_000);

        // A gas limit below what the messages use: accepted by CheckTx, fails in the block, fee is gone.
        var tight = Flock.Akash.Tx.TxFee.ForGas(first.GasInfo.GasUsed / 2);
        var signed = await s.Owner.SignAsync([s.Create(1)], fee: tight);
        Assert.Equal(0u, (await s.Owner.BroadcastAsync(signed)).Code);
        await s.Chain.MineAsync(1);
        var result = (await s.Owner.Tx.GetTxAsync(new GetTxRequest { Hash = signed.Hash })).TxResponse;
        Assert.Equal(11u, result.Code);
        Assert.EndsWith(": out of gas", result.RawLog, StringComparison.Ordinal);
        Assert.Equal(Scenario.OwnerUakt - tight.Amount, await s.Owner.BalanceAsync("uakt"));
    }

    [Fact]
    public async Task Update_changes_the_hash_once_and_closing_twice_is_refused()
    {
        await using var s = await Scenario.StartAsync();
        await s.Owner.SubmitOkAsync(s.Create(5));
        var newHash = Scenario.Hash("manifest-5-v2");
        await s.Owner.SubmitOkAsync(AkashMessages.UpdateDeployment(s.Owner.Address, 5, newHash));
        var deployment = await s.Owner.Deployments.DeploymentAsync(new QueryDeploymentRequest { Id = new DeploymentID { Owner = s.Owner.Address, Dseq = 5 } });
        Assert.Equal(newHash, deployment.Deployment.Hash.ToByteArray());

        var same = await s.Owner.SubmitAsync(AkashMessages.UpdateDeployment(s.Owner.Address, 5, newHash));
        Assert.Equal(10u, same.Code);
        Assert.Equal("failed to execute message; message index: 0: Invalid: deployment hash", same.RawLog);

        await s.Owner.SubmitOkAsync(AkashMessages.CloseDeployment(s.Owner.Address, 5));
        var twice = await s.Owner.SubmitAsync(AkashMessages.CloseDeployment(s.Owner.Address, 5));
        Assert.Equal(5u, twice.Code);
        Assert.Equal("failed to execute message; message index: 0: Deployment closed", twice.RawLog);
        var missing = await s.Owner.SubmitAsync(AkashMessages.CloseDeployment(s.Owner.Address, 6));
        Assert.Equal(4u, missing.Code);
    }
}
