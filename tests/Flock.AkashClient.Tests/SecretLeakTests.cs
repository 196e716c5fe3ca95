using Flock.Akash.Client;

namespace Flock.AkashClient.Tests;

public sealed class SecretLeakTests
{
    [Fact]
    public async Task No_mnemonic_or_private_key_text_appears_in_any_exception_or_log()
    {
        await using var h = await Harness.StartAsync();
        var owner = await h.FundedAsync("owner");
        var stranger = h.Own(TestAccount.Named("stranger"));
        var ghost = h.Own(TestAccount.Named("ghost"));   // never receives anything
        var texts = new List<string>();

        async Task Capture(Func<Task> action)
        {
            try
            {
                await action();
            }
            catch (Exception e)
            {
                texts.Add(e.ToString());   // message, type, inner exceptions and stack
                texts.Add(e.Message);
            }
        }

        // Success, a stale-sequence retry, CheckTx and DeliverTx failures, a never-funded signer, RPC down, a timeout.
        texts.Add((await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 1)])).ToString());
        using (var twin = owner.Twin())
        {
            await h.NewSubmitter(lanes: new SigningLanes()).SubmitAsync(twin, [Harness.Send(owner, stranger.Address, 1)]);
        }

        texts.Add((await h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 1)])).ToString());
        h.Chain.Faults.RejectNextTxs(1, 5, "insufficient funds");
        await Capture(() => h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 1)]));
        await Capture(() => h.NewSubmitter(Harness.Fast() with { GasAdjustment = 1m }).SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 1)]));
        await Capture(() => h.Submitter.SubmitAsync(ghost.Wallet, [Harness.Send(ghost, owner.Address, 1)]));
        await Capture(() => h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 999_999_999_999)]));
        h.Chain.Faults.RpcDown = true;
        await Capture(() => h.Submitter.SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 1)]));
        h.Chain.Faults.RpcDown = false;
        await Capture(() => h.NewSubmitter(Harness.Fast(TimeSpan.Zero)).SubmitAsync(owner.Wallet, [Harness.Send(owner, stranger.Address, 1)]));

        texts.Add(owner.Wallet.ToString());
        texts.Add(h.Client.ToString());
        texts.AddRange(h.Logs.Entries.Select(e => $"{e.Message} | {e.StructuredValues} | {e.Exception}"));

        // The scenario really produced failures and logs worth scanning.
        Assert.Contains(texts, t => t.Contains(nameof(AkashTxException), StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains(nameof(AkashAccountNotFundedException), StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains(nameof(AkashRpcUnavailableException), StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains(nameof(AkashSimulationException), StringComparison.Ordinal));
        Assert.Contains(h.Logs.Entries, e => e.EventId.Name == "SequenceMismatch");
        Assert.True(h.Logs.Entries.Count > 10);

        foreach (var account in new[] { owner, stranger, ghost })
        {
            foreach (var secret in account.SecretForms())
            {
                Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
            }
        }
    }
}
