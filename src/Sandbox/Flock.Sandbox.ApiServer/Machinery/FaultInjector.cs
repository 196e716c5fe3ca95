using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using Flock.Sandbox.ApiServer.Storage;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>
/// Faults a test can inject into the sandbox, in process (<c>server.Faults</c>) or over
/// <c>/_sandbox/faults</c>: dropped watches, failing and slow requests, forced conflicts, a restart
/// and a history compaction.
/// </summary>
public sealed partial class FaultInjector
{
    private readonly object _lock = new();
    private int _conflictsLeft;
    private double _failureRate;
    private int _failureCode = 503;
    private int _retryAfterSeconds = 1;
    private TimeSpan _latency;
    private ClusterStore? _store;
    private Func<Task>? _restart;

    internal void Attach(ClusterStore store, Func<Task> restart)
    {
        _store = store;
        _restart = restart;
    }

    /// <summary>Fraction (0..1) of API requests answered with <see cref="FailureCode"/> instead of being served.</summary>
    public double FailureRate
    {
        get { lock (_lock) return _failureRate; }
        set { lock (_lock) _failureRate = Math.Clamp(value, 0, 1); }
    }

    /// <summary>500, 503 or 429 (429 and 503 carry Retry-After).</summary>
    public int FailureCode
    {
        get { lock (_lock) return _failureCode; }
        set
        {
            if (value is not (500 or 503 or 429)) throw new ArgumentOutOfRangeException(nameof(value), "500, 503 or 429");
            lock (_lock) _failureCode = value;
        }
    }

    public int RetryAfterSeconds
    {
        get { lock (_lock) return _retryAfterSeconds; }
        set { lock (_lock) _retryAfterSeconds = Math.Max(0, value); }
    }

    /// <summary>Delay added before every API request is served.</summary>
    public TimeSpan Latency
    {
        get { lock (_lock) return _latency; }
        set { lock (_lock) _latency = value < TimeSpan.Zero ? TimeSpan.Zero : value; }
    }

    /// <summary>Writes still to be refused with 409 Conflict.</summary>
    public int PendingConflicts
    {
        get { lock (_lock) return _conflictsLeft; }
    }

    /// <summary>The next <paramref name="count"/> writes (create, update, patch, delete) fail with 409 Conflict.</summary>
    public void ConflictNextWrites(int count)
    {
        lock (_lock) _conflictsLeft = Math.Max(0, count);
    }

    /// <summary>Ends every open watch now; clients see their streams close and must re-watch.</summary>
    public void DropWatches() => _store?.DropAllWatches();

    /// <summary>Forgets all event history: watches and Exact lists from older resource versions get 410 Expired.</summary>
    public void CompactHistory() => _store?.Compact();

    /// <summary>Closes every connection and serves again on the same port with the same store.</summary>
    public Task RestartAsync() => _restart?.Invoke() ?? Task.CompletedTask;

    /// <summary>Clears every fault.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _conflictsLeft = 0;
            _failureRate = 0;
            _failureCode = 503;
            _retryAfterSeconds = 1;
            _latency = TimeSpan.Zero;
        }
    }

    internal void BeforeWrite(ApiResource r, string name, string user)
    {
        if (!Hits(user)) return;
        lock (_lock)
        {
            if (_conflictsLeft <= 0) return;
            _conflictsLeft--;
        }

        throw Errors.Conflict(r.Group, r.Plural, name, Errors.ModifiedMessage);
    }

    internal async Task BeforeRequestAsync(string user, CancellationToken ct)
    {
        if (!Hits(user)) return;
        TimeSpan latency;
        double rate;
        int code, retry;
        lock (_lock)
        {
            latency = _latency;
            rate = _failureRate;
            code = _failureCode;
            retry = _retryAfterSeconds;
        }

        if (latency > TimeSpan.Zero) await Task.Delay(latency, ct).ConfigureAwait(false);
        if (rate > 0 && Random.Shared.NextDouble() < rate)
        {
            throw code switch
            {
                429 => Errors.TooManyRequests(retry),
                500 => Errors.Internal("injected fault"),
                _ => new ApiException(Errors.Status(503, "ServiceUnavailable", "injected fault: the server is currently unable to handle the request"))
                { RetryAfterSeconds = retry },
            };
        }
    }

    internal JsonObject Describe() => new()
    {
        ["failureRate"] = FailureRate,
        ["failureCode"] = FailureCode,
        ["retryAfterSeconds"] = RetryAfterSeconds,
        ["latencyMs"] = (long)Latency.TotalMilliseconds,
        ["pendingConflicts"] = PendingConflicts,
    };

    /// <summary>Applies a JSON command from the admin endpoint.</summary>
    internal async Task ApplyAsync(JsonObject cmd)
    {
        if (cmd["reset"]?.GetValue<bool>() == true) Reset();
        if (cmd["failureRate"] is { } fr) FailureRate = fr.GetValue<double>();
        if (cmd["failureCode"] is { } fc) FailureCode = fc.GetValue<int>();
        if (cmd["retryAfterSeconds"] is { } ra) RetryAfterSeconds = ra.GetValue<int>();
        if (cmd["latencyMs"] is { } lm) Latency = TimeSpan.FromMilliseconds(lm.GetValue<double>());
        if (cmd["conflictNextWrites"] is { } cn) ConflictNextWrites(cn.GetValue<int>());
        if (cmd["compactHistory"]?.GetValue<bool>() == true) CompactHistory();
        if (cmd["dropWatches"]?.GetValue<bool>() == true) DropWatches();
        if (cmd["restart"]?.GetValue<bool>() == true) await RestartAsync().ConfigureAwait(false);
    }
}
