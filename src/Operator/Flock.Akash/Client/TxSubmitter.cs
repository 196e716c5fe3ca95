using System.Diagnostics;
using Flock.Akash.Crypto;
using Flock.Akash.Diagnostics;
using Flock.Akash.Protos.CosmosAbciV1Beta1;
using Flock.Akash.Tx;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Akash.Client;

/// <summary>
/// Builds, signs, broadcasts and follows transactions: sequence from the chain (cached and advanced locally),
/// gas from Simulate × adjustment with the fee from <see cref="TxFee"/>, BroadcastTx SYNC, then GetTx polling
/// until the block result is known. Submissions of one account go through its <see cref="SigningLanes"/> lane
/// for the whole cycle, so the next one starts from a settled sequence.
/// </summary>
public sealed class TxSubmitter
{
    private readonly AkashChainClient _client;
    private readonly SigningLanes _lanes;
    private readonly TxSubmitterOptions _options;
    private readonly ILogger<TxSubmitter> _logger;
    private readonly TimeProvider _time;
    private readonly AccountSequences _sequences = new();

    public TxSubmitter(AkashChainClient client, SigningLanes lanes, TxSubmitterOptions? options = null, ILogger<TxSubmitter>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(lanes);
        _client = client;
        _lanes = lanes;
        _options = options ?? new TxSubmitterOptions();
        _logger = logger ?? NullLogger<TxSubmitter>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        if (_options.MaxSequenceRetries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxSequenceRetries must not be negative.");
        }
    }

    /// <summary>
    /// Signs <paramref name="messages"/> with <paramref name="wallet"/> and returns once the transaction is in a
    /// block with code 0. Failures: <see cref="AkashAccountNotFundedException"/> (never funded),
    /// <see cref="AkashSimulationException"/> (messages would fail), <see cref="AkashTxException"/> (CheckTx or
    /// DeliverTx code), <see cref="AkashRpcUnavailableException"/> and <see cref="AkashTxTimeoutException"/> (transient).
    /// </summary>
    public Task<TxResult> SubmitAsync(Wallet wallet, IEnumerable<IMessage> messages, string memo = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wallet);
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(memo);
        var list = messages.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("A transaction needs at least one message.", nameof(messages));
        }

        return _lanes.RunAsync(wallet.Address, ct => ObservedAsync(wallet, list, memo, ct), cancellationToken);
    }

    /// <summary>One span per submission (its RPCs are the children) and one count in flock_akash_tx_total by how it ended.</summary>
    private async Task<TxResult> ObservedAsync(Wallet wallet, List<IMessage> messages, string memo, CancellationToken cancellationToken)
    {
        var types = string.Join(',', messages.Select(m => m.Descriptor.Name));
        using var activity = AkashDiagnostics.ActivitySource.StartActivity("akash tx " + types, ActivityKind.Internal);
        activity?.SetTag("akash.tx.messages", types);
        TxOutcome? outcome = null;
        try
        {
            var result = await SubmitInLaneAsync(wallet, messages, memo, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("akash.tx.hash", result.Hash);
            activity?.SetTag("akash.tx.height", result.Height);
            outcome = TxOutcome.Committed;
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            outcome = e switch
            {
                AkashTxException { Stage: TxStage.CheckTx } or AkashSimulationException or AkashAccountNotFundedException => TxOutcome.Rejected,
                AkashTxTimeoutException => TxOutcome.Timeout,
                _ => TxOutcome.Failed,
            };
            if (e is AkashTxException { TxHash: { Length: > 0 } hash })
            {
                activity?.SetTag("akash.tx.hash", hash);
            }

            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
        finally
        {
            // A cancelled submission (operator shutting down) has no outcome to count.
            if (outcome is { } done)
            {
                activity?.SetTag("outcome", done.ToString().ToLowerInvariant());
                _client.Metrics?.TxCompleted(types, done);
            }
        }
    }

    private async Task<TxResult> SubmitInLaneAsync(Wallet wallet, List<IMessage> messages, string memo, CancellationToken cancellationToken)
    {
        var address = wallet.Address;
        var types = string.Join(',', messages.Select(m => m.Descriptor.Name));
        ulong? hint = null;
        for (var attempt = 0; ; attempt++)
        {
            var canRetry = attempt < _options.MaxSequenceRetries;
            try
            {
                var account = await AccountAsync(address, hint, cancellationToken).ConfigureAwait(false);
                hint = null;
                TxFee fee;
                try
                {
                    var simulation = TxSigner.ForSimulation(messages, wallet.PublicKeyAny(), account.Sequence, memo);
                    var gas = await _client.SimulateAsync(simulation.Bytes, cancellationToken).ConfigureAwait(false);
                    fee = TxFee.FromSimulation(gas, _options.GasAdjustment, _options.GasPrice, _options.FeeDenom);
                }
                catch (AkashSimulationException e) when (canRetry && SequenceMismatch.IsIn(e.RawLog))
                {
                    // Our cached sequence is stale (someone else signed with this key): re-read and try again.
                    hint = Resync(address, attempt, e.RawLog);
                    continue;
                }

                var signed = new TxSigner(wallet).Sign(messages, account, fee, memo);
                Log.Broadcasting(_logger, address, types, account.Sequence, fee.GasLimit, fee.Amount, fee.Denom, null);
                var check = await _client.BroadcastSyncAsync(signed.Bytes, cancellationToken).ConfigureAwait(false);
                if (check.Code == 0)
                {
                    // In the mempool: the account's next transaction carries the next sequence, committed or not.
                    _sequences.Advance(address, account);
                    Log.Accepted(_logger, signed.Hash, address, account.Sequence, null);
                    return await WaitForInclusionAsync(signed.Hash, address, account.Sequence, fee, cancellationToken).ConfigureAwait(false);
                }

                var log = RawLogs.Bound(check.RawLog, _options.MaxRawLogLength);
                if (canRetry && IsSequenceMismatch(check))
                {
                    hint = Resync(address, attempt, log);
                    continue;
                }

                Log.Rejected(_logger, signed.Hash, address, TxStage.CheckTx, check.Code, check.Codespace, log, null);
                throw new AkashTxException(check.Code, check.Codespace, log, TxStage.CheckTx, signed.Hash);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Anything of unknown effect (RPC down mid-broadcast, DeliverTx ante failure, timeout) may have left
                // the local sequence wrong; the next submission re-reads it from the chain.
                _sequences.Forget(address);
                throw;
            }
        }
    }

    private static bool IsSequenceMismatch(TxResponse check) =>
        (check.Code == SequenceMismatch.Code && check.Codespace == SequenceMismatch.Codespace) || (check.Code != 0 && SequenceMismatch.IsIn(check.RawLog));

    private ulong? Resync(string address, int attempt, string log)
    {
        _sequences.Forget(address);
        var expected = SequenceMismatch.ExpectedIn(log);
        Log.SequenceMismatch(_logger, address, attempt + 1, expected?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?", null);
        return expected;
    }

    /// <summary>
    /// The cached next sequence, or the chain's. A mismatch log's "expected N" is the node's mempool-aware view,
    /// which can be ahead of the committed sequence Query/Account returns; the larger of the two is used.
    /// </summary>
    private async Task<SignerAccount> AccountAsync(string address, ulong? hint, CancellationToken cancellationToken)
    {
        if (_sequences.Get(address) is { } cached)
        {
            return cached;
        }

        var onChain = await _client.GetAccountAsync(address, cancellationToken).ConfigureAwait(false);
        var sequence = hint is { } h && h > onChain.Sequence ? h : onChain.Sequence;
        var account = new SignerAccount(_client.ChainId, onChain.AccountNumber, sequence);
        _sequences.Set(address, account);
        return account;
    }

    private async Task<TxResult> WaitForInclusionAsync(string hash, string address, ulong sequence, TxFee fee, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            TxResponse? included = null;
            try
            {
                included = await _client.GetTxAsync(hash, cancellationToken).ConfigureAwait(false);
            }
            catch (AkashRpcUnavailableException e)
            {
                // The tx is already in the mempool; a blip while we watch does not change its fate, so keep watching until the deadline.
                Log.PollFailed(_logger, hash, e.Message, null);
            }

            if (included is not null)
            {
                var log = RawLogs.Bound(included.RawLog, _options.MaxRawLogLength);
                if (included.Code != 0)
                {
                    Log.Rejected(_logger, hash, address, TxStage.DeliverTx, included.Code, included.Codespace, log, null);
                    throw new AkashTxException(included.Code, included.Codespace, log, TxStage.DeliverTx, hash, included.Height);
                }

                Log.Included(_logger, hash, included.Height, included.GasUsed, null);
                return new TxResult(hash, included.Height, included.Code, included.Codespace, log, included.GasUsed, sequence, fee);
            }

            if (_time.GetElapsedTime(started) >= _options.EffectiveInclusionTimeout)
            {
                throw new AkashTxTimeoutException(hash);
            }

            await Task.Delay(_options.EffectivePollInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static class Log
    {
        public static readonly Action<ILogger, string, string, ulong, ulong, ulong, string, Exception?> Broadcasting =
            LoggerMessage.Define<string, string, ulong, ulong, ulong, string>(LogLevel.Debug, new EventId(10, nameof(Broadcasting)),
                "Broadcasting Akash tx from {Address} ({Messages}) sequence {Sequence} gas {GasLimit} fee {FeeAmount}{FeeDenom}");

        public static readonly Action<ILogger, string, string, ulong, Exception?> Accepted =
            LoggerMessage.Define<string, string, ulong>(LogLevel.Debug, new EventId(11, nameof(Accepted)),
                "Akash tx {TxHash} from {Address} sequence {Sequence} accepted into the mempool");

        public static readonly Action<ILogger, string, long, long, Exception?> Included =
            LoggerMessage.Define<string, long, long>(LogLevel.Information, new EventId(12, nameof(Included)),
                "Akash tx {TxHash} included at height {Height} (gas used {GasUsed})");

        public static readonly Action<ILogger, string, string, TxStage, uint, string, string, Exception?> Rejected =
            LoggerMessage.Define<string, string, TxStage, uint, string, string>(LogLevel.Warning, new EventId(13, nameof(Rejected)),
                "Akash tx {TxHash} from {Address} failed in {Stage} with code {Code} ({Codespace}): {RawLog}");

        public static readonly Action<ILogger, string, int, string, Exception?> SequenceMismatch =
            LoggerMessage.Define<string, int, string>(LogLevel.Information, new EventId(14, nameof(SequenceMismatch)),
                "Akash account {Address} sequence mismatch (attempt {Attempt}, chain expects {Expected}); re-reading the account");

        public static readonly Action<ILogger, string, string, Exception?> PollFailed =
            LoggerMessage.Define<string, string>(LogLevel.Warning, new EventId(15, nameof(PollFailed)),
                "Polling Akash tx {TxHash} failed ({Error}); still waiting");
    }
}
