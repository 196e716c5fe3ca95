using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Flock.Operator.Staking;

/// <summary>How a <see cref="StakeEventFollower"/> polls.</summary>
public sealed record StakeEventFollowerOptions
{
    /// <summary>Pause between polls once caught up (Base produces a block every 2 s).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>First pause after a failed poll; doubles per consecutive failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest pause after failures.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Most blocks asked for in one eth_getLogs (public RPCs cap ranges).</summary>
    public long MaxBlockRange { get; init; } = 2000;

    /// <summary>First block to scan; null starts after the current safe head (only new events).</summary>
    public long? StartBlock { get; init; }

    /// <summary>Only these task ids (topic filter; TaskFinished, whose id is not indexed, is filtered after decoding). Null or empty: all.</summary>
    public IReadOnlyCollection<long>? TaskIds { get; init; }

    /// <summary>Only these wallets (topic filter; does not apply to TaskFinished). Null or empty: all.</summary>
    public IReadOnlyCollection<string>? Addresses { get; init; }
}

/// <summary>
/// Follows FlockTaskManagerV2's stake events (NodeStakeDeposited, ValidatorStakeDeposited, NodeStakeWithdrawn,
/// ValidatorStakeWithdrawn, TaskFinished) with eth_getLogs over consecutive block ranges up to latest − confirmations,
/// and hands each decoded event to a callback, in chain order, so a stake change reaches status within a block.
/// Tracks the last processed block: a range is marked done only after every callback for it returned, so RPC
/// errors (retried with exponential backoff) never skip blocks; delivery is at least once (a callback that throws
/// makes the whole range be fetched and delivered again).
/// </summary>
/// <remarks>
/// Not thread-safe: drive it from one loop (<see cref="RunAsync"/>, or <see cref="PollOnceAsync"/> calls in sequence).
/// Reorganisations deeper than the confirmations are not undone; logs flagged "removed" are skipped. The events are a
/// trigger to re-read: the authoritative value is a fresh <see cref="StakingReader"/> reading.
/// </remarks>
public sealed class StakeEventFollower : IDisposable
{
    private static readonly string[] StakeTopics =
    [
        FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.NodeStakeDepositedEvent),
        FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.ValidatorStakeDepositedEvent),
        FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.NodeStakeWithdrawnEvent),
        FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.ValidatorStakeWithdrawnEvent),
    ];

    private static readonly string TaskFinishedTopic = FlockTaskManagerAbi.Topic(FlockTaskManagerAbi.TaskFinishedEvent);

    private readonly IEthereumRpc _rpc;
    private readonly bool _ownsRpc;
    private readonly Func<StakeEvent, CancellationToken, ValueTask> _onEvent;
    private readonly TimeProvider _time;
    private readonly HashSet<long>? _taskIds;
    private readonly string[]? _addressTopics;
    private bool _chainVerified;
    private long _lastProcessed = -1;
    private bool _started;

    /// <summary>Creates a follower over HTTP JSON-RPC; <paramref name="metrics"/> times its calls.</summary>
    public StakeEventFollower(
        ChainSettings settings, Func<StakeEvent, CancellationToken, ValueTask> onEvent, StakeEventFollowerOptions? options = null, TimeProvider? timeProvider = null,
        Telemetry.FlockMetrics? metrics = null)
        : this(settings, new HttpEthereumRpc(settings?.RpcUrl ?? throw new ArgumentNullException(nameof(settings)), metrics: metrics), true, onEvent, options, timeProvider)
    {
    }

    /// <summary>Creates a follower over any JSON-RPC transport.</summary>
    public StakeEventFollower(
        ChainSettings settings, IEthereumRpc rpc, Func<StakeEvent, CancellationToken, ValueTask> onEvent, StakeEventFollowerOptions? options = null, TimeProvider? timeProvider = null)
        : this(settings, rpc, false, onEvent, options, timeProvider)
    {
    }

    private StakeEventFollower(
        ChainSettings settings, IEthereumRpc rpc, bool ownsRpc, Func<StakeEvent, CancellationToken, ValueTask> onEvent, StakeEventFollowerOptions? options, TimeProvider? timeProvider)
    {
        Settings = settings ?? throw new ArgumentNullException(nameof(settings));
        _rpc = rpc ?? throw new ArgumentNullException(nameof(rpc));
        _ownsRpc = ownsRpc;
        _onEvent = onEvent ?? throw new ArgumentNullException(nameof(onEvent));
        Options = options ?? new StakeEventFollowerOptions();
        _time = timeProvider ?? TimeProvider.System;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxBlockRange);
        if (Options.StartBlock is { } start)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(start);
            _lastProcessed = start - 1;
            _started = true;
        }

        if (Options.TaskIds is { Count: > 0 } ids)
        {
            _taskIds = [.. ids];
        }

        if (Options.Addresses is { Count: > 0 } addresses)
        {
            _addressTopics = [.. addresses.Select(FlockTaskManagerAbi.AddressTopic).Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>The chain and contract followed.</summary>
    public ChainSettings Settings { get; }

    /// <summary>The polling options.</summary>
    public StakeEventFollowerOptions Options { get; }

    /// <summary>Every block up to this one has been scanned and its events delivered; null before the first poll.</summary>
    public long? LastProcessedBlock => _started ? Volatile.Read(ref _lastProcessed) : null;

    /// <summary>Failed polls in a row (0 after a success).</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Called after a failed poll with the error and the pause before the next try. Must not throw.</summary>
    public Action<Exception, TimeSpan>? OnError { get; set; }

    /// <summary>Polls until cancelled: catches up range by range, then waits <see cref="StakeEventFollowerOptions.PollInterval"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan pause;
            try
            {
                var more = await PollOnceAsync(cancellationToken).ConfigureAwait(false);
                ConsecutiveFailures = 0;
                if (more)
                {
                    continue;
                }

                pause = Options.PollInterval;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                ConsecutiveFailures++;
                _chainVerified = false;
                pause = Backoff(ConsecutiveFailures);
                OnError?.Invoke(e, pause);
            }

            try
            {
                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// One step: scans the next range (at most <see cref="StakeEventFollowerOptions.MaxBlockRange"/> blocks up to
    /// latest − confirmations) and delivers its events. Returns true when more blocks are already waiting.
    /// </summary>
    /// <exception cref="StakingReadException">The RPC failed or serves another chain; nothing was marked processed.</exception>
    public async Task<bool> PollOnceAsync(CancellationToken cancellationToken = default)
    {
        if (!_chainVerified)
        {
            await StakingReader.VerifyChainIdAsync(_rpc, Settings, cancellationToken).ConfigureAwait(false);
            _chainVerified = true;
        }

        var head = Math.Max(-1, await EthCalls.BlockNumberAsync(_rpc, cancellationToken).ConfigureAwait(false) - Settings.Confirmations);
        if (!_started)
        {
            Volatile.Write(ref _lastProcessed, head);
            _started = true;
            return false;
        }

        var from = _lastProcessed + 1;
        if (from > head)
        {
            return false;
        }

        var to = Math.Min(head, from + Options.MaxBlockRange - 1);
        var events = new List<StakeEvent>();
        events.AddRange(await GetLogsAsync(from, to, StakeTopics, withTaskAndAddress: true, cancellationToken).ConfigureAwait(false));
        events.AddRange(await GetLogsAsync(from, to, [TaskFinishedTopic], withTaskAndAddress: false, cancellationToken).ConfigureAwait(false));
        events.Sort(static (a, b) => a.Block != b.Block ? a.Block.CompareTo(b.Block) : a.LogIndex.CompareTo(b.LogIndex));
        foreach (var e in events)
        {
            await _onEvent(e, cancellationToken).ConfigureAwait(false);
        }

        Volatile.Write(ref _lastProcessed, to);
        return to < head;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsRpc && _rpc is IDisposable d)
        {
            d.Dispose();
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var factor = Math.Pow(2, Math.Min(failures - 1, 20));
        var ticks = Math.Min(Options.MaxBackoff.Ticks, Options.InitialBackoff.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    private async Task<List<StakeEvent>> GetLogsAsync(long from, long to, string[] topic0, bool withTaskAndAddress, CancellationToken ct)
    {
        var topics = new JsonArray { ToJsonArray(topic0) };
        if (withTaskAndAddress)
        {
            topics.Add(_taskIds is null ? null : ToJsonArray(_taskIds.Select(id => FlockTaskManagerAbi.UintTopic(id))));
            if (_addressTopics is not null)
            {
                topics.Add(ToJsonArray(_addressTopics));
            }
        }

        var filter = new JsonObject
        {
            ["address"] = Settings.ContractAddress,
            ["fromBlock"] = EthCalls.Quantity(from),
            ["toBlock"] = EthCalls.Quantity(to),
            ["topics"] = topics,
        };
        var result = await EthCalls.Send(_rpc, "eth_getLogs", [filter], ct).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw new StakingReadException(StakingReadError.MalformedResult, "eth_getLogs returned a non-array result.");
        }

        var list = new List<StakeEvent>();
        foreach (var log in result.EnumerateArray())
        {
            var decoded = Decode(log);
            if (decoded is not null && (_taskIds is null || _taskIds.Contains(decoded.TaskId)))
            {
                list.Add(decoded);
            }
        }

        return list;
    }

    // A log that is not ours (another contract, removed by a reorganisation, another event) is skipped; one whose
    // structure is broken (missing or mistyped members) is an error naming the member, so a bad node is noticed.
    private StakeEvent? Decode(JsonElement log)
    {
        if (log.ValueKind != JsonValueKind.Object)
        {
            throw MalformedLog($"a log that is not an object but {log.ValueKind}");
        }

        if (log.TryGetProperty("removed", out var removed) && removed.ValueKind == JsonValueKind.True)
        {
            return null;
        }

        if (!log.TryGetProperty("address", out var a) || a.ValueKind != JsonValueKind.String)
        {
            throw MalformedLog("a log whose address is not a string");
        }

        if (!string.Equals(a.GetString(), Settings.ContractAddress, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!log.TryGetProperty("topics", out var topicsElement) || topicsElement.ValueKind != JsonValueKind.Array)
        {
            throw MalformedLog("a log whose topics are not an array");
        }

        var topics = topicsElement.EnumerateArray()
            .Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()! : throw MalformedLog("a log topic that is not a string")).ToArray();
        var data = !log.TryGetProperty("data", out var d) ? null
            : d.ValueKind == JsonValueKind.String ? d.GetString() : throw MalformedLog("a log whose data is not a string");
        var block = LogPosition(log, "blockNumber");
        var index = LogPosition(log, "logIndex");
        var tx = log.TryGetProperty("transactionHash", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString()! : "";
        if (topics.Length == 0)
        {
            return null;
        }

        var topic0 = topics[0].ToLowerInvariant();
        if (topic0 == TaskFinishedTopic)
        {
            var id = FlockTaskManagerAbi.DecodeUint(data);
            return id is { } v && v <= long.MaxValue
                ? new StakeEvent(StakeEventKind.TaskFinished, (long)v, null, BigInteger.Zero, block, tx, index)
                : null;
        }

        var kind = Array.IndexOf(StakeTopics, topic0);
        if (kind < 0 || topics.Length != 3)
        {
            return null;
        }

        var taskId = FlockTaskManagerAbi.DecodeUint(topics[1]);
        var address = FlockTaskManagerAbi.DecodeAddressWord(topics[2]);
        var amount = FlockTaskManagerAbi.DecodeUint(data);
        if (taskId is not { } t || t > long.MaxValue || address is null || amount is null)
        {
            return null;
        }

        return new StakeEvent((StakeEventKind)kind, (long)t, address, amount.Value, block, tx, index);
    }

    private static long LogPosition(JsonElement log, string member)
    {
        if (!log.TryGetProperty(member, out var element))
        {
            throw MalformedLog($"a log without {member}");
        }

        BigInteger value;
        try
        {
            value = EthCalls.ParseQuantity(element, "log " + member);
        }
        catch (StakingReadException e)
        {
            throw new StakingReadException(StakingReadError.MalformedResult, $"eth_getLogs returned a log whose {member} is not a hex quantity.", e);
        }

        return value <= long.MaxValue ? (long)value : throw MalformedLog($"a log whose {member} is out of range");
    }

    private static StakingReadException MalformedLog(string what) => new(StakingReadError.MalformedResult, $"eth_getLogs returned {what}.");

    private static JsonArray ToJsonArray(IEnumerable<string> values)
    {
        var array = new JsonArray();
        foreach (var v in values)
        {
            array.Add(v);
        }

        return array;
    }
}
