using System.Globalization;
using Flock.Akash.Client;
using Flock.Akash.Tx;

namespace Flock.AkashClient.Tests;

public sealed class TxSubmitterTests
{
    [Fact]
    public async Task A_tx_is_included_with_the_simulated_fee_and_the_account_sequence()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");

        var result = await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1_000)], memo: "flock");

        Assert.Equal(0u, result.Code);
        Assert.True(result.Height > 1);
        Assert.Equal(0ul, result.Sequence);
        Assert.Equal(64, result.Hash.Length);
        Assert.True(result.GasUsed > 0);

        // The fee is ceil(ceil(simulated gas × 1.5) × 0.025) uakt, and what the block charged.
        var onChain = await h.Client.GetTxAsync(result.Hash);
        Assert.NotNull(onChain);
        var fee = Assert.IsType<TxFee>(result.Fee);
        Assert.Equal("uakt", fee.Denom);
        Assert.Equal(TxFee.ForGas(fee.GasLimit).Amount, fee.Amount);
        Assert.Equal(fee.GasLimit, (ulong)onChain.GasWanted);
        Assert.True((ulong)result.GasUsed <= fee.GasLimit && fee.GasLimit <= (ulong)(result.GasUsed * 2));
        Assert.Equal(Harness.FundedUakt - 1_000 - fee.Amount, (ulong)await h.Client.GetBalanceAsync(owner.Address, "uakt"));
        Assert.Equal(Harness.FundedUakt + 1_000, (ulong)await h.Client.GetBalanceAsync(friend.Address, "uakt"));

        var next = await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)]);
        Assert.Equal(1ul, next.Sequence);
        Assert.Equal(2ul, (await h.Client.GetAccountAsync(owner.Address)).Sequence);
        Assert.Contains(h.Logs.Entries, e => e.EventId.Name == "Included" && e.StructuredValues.Contains(result.Hash, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ten_concurrent_submissions_from_one_account_get_consecutive_sequences_while_another_account_interleaves()
    {
        await using var h = await Harness.StartAsync();
        var a = await h.FundedAsync("account-a");
        var b = await h.FundedAsync("account-b");
        var sink = await h.FundedAsync("sink");

        var fromA = Enumerable.Range(1, 10).Select(i => h.Submitter.SubmitAsync(a.Wallet, [Harness.Send(a, sink.Address, (ulong)i)])).ToList();
        var fromB = Enumerable.Range(1, 10).Select(i => h.Submitter.SubmitAsync(b.Wallet, [Harness.Send(b, sink.Address, (ulong)(100 + i))])).ToList();
        var resultsA = await Task.WhenAll(fromA);
        var resultsB = await Task.WhenAll(fromB);

        Assert.All(resultsA.Concat(resultsB), r => Assert.Equal(0u, r.Code));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)i), resultsA.Select(r => r.Sequence).Order());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ulong)i), resultsB.Select(r => r.Sequence).Order());
        Assert.Equal(10ul, (await h.Client.GetAccountAsync(a.Address)).Sequence);
        Assert.Equal(10ul, (await h.Client.GetAccountAsync(b.Address)).Sequence);
        Assert.Equal(Harness.FundedUakt + 55 + 1_055, (ulong)await h.Client.GetBalanceAsync(sink.Address, "uakt"));

        // B did not queue behind A: each lane spans at least ten blocks, and B's first tx landed before A's last.
        Assert.True(resultsB.Min(r => r.Height) < resultsA.Max(r => r.Height));
        Assert.True(resultsA.Min(r => r.Height) < resultsB.Max(r => r.Height));
        Assert.Equal(0, h.Lanes.ActiveLanes);
    }

    [Fact]
    public async Task A_tx_sent_behind_our_back_with_the_same_key_makes_the_next_submission_resync_and_succeed()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");
        Assert.Equal(0ul, (await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)])).Sequence);

        // Another replica (own lanes, own sequence cache, same mnemonic) spends sequence 1.
        using var twin = owner.Twin();
        var other = h.NewSubmitter(lanes: new SigningLanes());
        Assert.Equal(1ul, (await other.SubmitAsync(twin, [Harness.Send(owner, friend.Address, 2)])).Sequence);

        // Our cache still says 1; the chain says 2.
        var result = await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 3)]);
        Assert.Equal(2ul, result.Sequence);
        Assert.Equal(3ul, (await h.Client.GetAccountAsync(owner.Address)).Sequence);
        Assert.Contains(h.Logs.Entries, e => e.EventId.Name == "SequenceMismatch");
    }

    [Fact]
    public async Task A_sequence_mismatch_from_check_tx_is_retried_a_bounded_number_of_times()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");

        h.Chain.Faults.RejectNextTxs(1, 32, "account sequence mismatch, expected 0, got 0: incorrect account sequence");
        var retried = await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)]);
        Assert.Equal(0ul, retried.Sequence);

        // A mismatch that never clears ends as the typed error after MaxSequenceRetries re-signs (1 + 2 attempts here).
        var submitter = h.NewSubmitter(Harness.Fast() with { MaxSequenceRetries = 2 });
        h.Chain.Faults.RejectNextTxs(3, 32, "account sequence mismatch, expected 1, got 1: incorrect account sequence");
        var e = await Assert.ThrowsAsync<AkashTxException>(() => submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 2)]));
        Assert.Equal(32u, e.Code);
        Assert.True(e.IsSequenceMismatch);
        Assert.Equal(TxStage.CheckTx, e.Stage);

        // The rejections are used up; the account is unharmed.
        Assert.Equal(1ul, (await submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 3)])).Sequence);
    }

    [Fact]
    public async Task A_check_tx_rejection_is_a_typed_error_with_code_codespace_and_bounded_log_and_costs_no_sequence()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");
        var longLog = "insufficient fees; got: 1uakt required: 5000uakt " + new string('x', 10_000);
        h.Chain.Faults.RejectNextTxs(1, 13, longLog);

        var e = await Assert.ThrowsAsync<AkashTxException>(() => h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)]));
        Assert.Equal(13u, e.Code);
        Assert.Equal("sdk", e.Codespace);
        Assert.Equal(TxStage.CheckTx, e.Stage);
        Assert.False(e.IsTransient);
        Assert.StartsWith("insufficient fees", e.RawLog, StringComparison.Ordinal);
        Assert.True(e.RawLog.Length < 1_100, $"raw log of {e.RawLog.Length} chars");
        Assert.True(e.Message.Length < 1_400, $"message of {e.Message.Length} chars");
        Assert.Contains("13", e.Message, StringComparison.Ordinal);

        var other = await Assert.ThrowsAsync<AkashTxException>(async () =>
        {
            h.Chain.Faults.RejectNextTxs(1, 3, "deployment exists", "deployment");
            await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)]);
        });
        Assert.Equal((3u, "deployment"), (other.Code, other.Codespace));

        // CheckTx refusals use no sequence: the next tx still carries 0.
        Assert.Equal(0ul, (await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)])).Sequence);
    }

    [Fact]
    public async Task A_deliver_tx_failure_is_a_typed_error_and_the_next_tx_uses_the_next_sequence()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");

        // No margin over the simulated gas: the signed tx is bigger than the unsigned one simulated (signature, fee
        // coin), so the block runs out of gas — exactly what the 1.5 adjustment is for.
        var tight = h.NewSubmitter(Harness.Fast() with { GasAdjustment = 1m });
        var e = await Assert.ThrowsAsync<AkashTxException>(() => tight.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)]));
        Assert.Equal(11u, e.Code);
        Assert.Equal(TxStage.DeliverTx, e.Stage);
        Assert.True(e.Height > 1);
        Assert.NotNull(e.TxHash);
        Assert.Contains("out of gas", e.RawLog, StringComparison.Ordinal);

        // The failed tx still paid its fee and used sequence 0.
        Assert.True((ulong)await h.Client.GetBalanceAsync(owner.Address, "uakt") < Harness.FundedUakt);
        Assert.Equal((ulong)Harness.FundedUakt, (ulong)await h.Client.GetBalanceAsync(friend.Address, "uakt"));
        Assert.Equal(1ul, (await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)])).Sequence);
    }

    [Fact]
    public async Task Rpc_down_is_a_transient_error_and_the_account_recovers_afterwards()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");
        Assert.Equal(0ul, (await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)])).Sequence);

        h.Chain.Faults.RpcDown = true;
        var e = await Assert.ThrowsAsync<AkashRpcUnavailableException>(() => h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)]));
        Assert.True(e.IsTransient);
        Assert.Contains("Unavailable", e.Message, StringComparison.Ordinal);

        h.Chain.Faults.RpcDown = false;
        Assert.Equal(1ul, (await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 1)])).Sequence);
    }

    [Fact]
    public async Task Slow_inclusion_still_returns_the_result_once_the_tx_is_in_a_block()
    {
        await using var h = await Harness.StartAsync(manualBlocks: true);
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");
        h.Chain.Faults.InclusionDelayBlocks = 3;

        var submit = h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 5)]);
        await h.Logs.WaitForAsync("Accepted");
        var acceptedAt = h.Chain.Height;

        await h.Chain.MineAsync(3);
        Assert.False(submit.IsCompleted);     // still waiting: GetTx cannot find a tx that is not in a block
        await h.Chain.MineAsync(1);
        var result = await submit;

        Assert.Equal(acceptedAt + 4, result.Height);
        Assert.Equal(0u, result.Code);
        Assert.Equal(Harness.FundedUakt + 5, (ulong)await h.Client.GetBalanceAsync(friend.Address, "uakt"));
    }

    [Fact]
    public async Task A_tx_never_included_ends_in_a_transient_timeout_naming_its_hash()
    {
        await using var h = await Harness.StartAsync(manualBlocks: true);
        var owner = await h.FundedAsync("owner");
        var friend = await h.FundedAsync("friend");
        var submitter = h.NewSubmitter(Harness.Fast(TimeSpan.FromMilliseconds(200)));

        var e = await Assert.ThrowsAsync<AkashTxTimeoutException>(() => submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, friend.Address, 5)]));
        Assert.True(e.IsTransient);
        Assert.Equal(64, e.TxHash.Length);

        // It was only late: once a block comes it is on chain.
        await h.Chain.MineAsync(1);
        var included = await h.Client.GetTxAsync(e.TxHash);
        Assert.NotNull(included);
        Assert.Equal(0u, included.Code);
    }

    [Fact]
    public async Task Cancelling_a_submission_stops_it_with_operation_canceled()
    {
        await using var h = await Harness.StartAsync(manualBlocks: true);
        var owner = await h.FundedAsync("owner");
        using var cts = new CancellationTokenSource();
        var submit = h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, owner.Address, 1)], cancellationToken: cts.Token);
        await h.Logs.WaitForAsync("Accepted");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => submit);
        Assert.Equal(0, h.Lanes.ActiveLanes);
    }
}
