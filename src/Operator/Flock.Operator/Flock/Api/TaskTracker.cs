using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Flock.Api;

/// <summary>What the operator last knew about a task: the task (kept through errors) and the last error, if any.</summary>
public sealed record TaskSnapshot(long TaskId, FlockTask? Task, DateTimeOffset? LastSync, FlockApiException? LastError)
{
    public bool Known => Task is not null;
}

public sealed record TaskTrackerOptions
{
    /// <summary>Time between two reads of one task, whatever the number of resources that name it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Random spread of each poll (±fraction of the interval), so tasks do not poll in lockstep.</summary>
    public double Jitter { get; init; } = 0.1;

    /// <summary>First retry after a failed read; doubles up to the poll interval.</summary>
    public TimeSpan ErrorBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A task no resource asked about for this many intervals stops being polled.</summary>
    public int ForgetAfterIntervals { get; init; } = 3;
}

/// <summary>
/// One poll per task id per interval for the whole operator, however many resources name it: a
/// reconcile reads the snapshot, never the API. A 429 pushes the task's next poll past Retry-After;
/// other errors keep the last known task and retry with backoff. <see cref="Changed"/> fires when a
/// task's state or error changes, so the resources on it reconcile at once.
/// </summary>
public sealed partial class TaskTracker(FlockApiClient client, TaskTrackerOptions options, TimeProvider time, ILogger<TaskTracker> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, Entry> _entries = new();
    private readonly SemaphoreSlim _wake = new(0);

    private sealed class Entry(long id)
    {
        public long Id { get; } = id;
        public TaskSnapshot Snapshot { get; set; } = new(id, null, null, null);
        public DateTimeOffset Due { get; set; }
        public DateTimeOffset LastWanted { get; set; }
        public TimeSpan Backoff { get; set; }
    }

    /// <summary>Raised with a task id when its snapshot changed.</summary>
    public event Action<long>? Changed;

    /// <summary>The latest snapshot; also marks the task as wanted, so it keeps being polled.</summary>
    public TaskSnapshot Watch(long taskId)
    {
        var now = time.GetUtcNow();
        var entry = _entries.GetOrAdd(taskId, id =>
        {
            _wake.Release();
            return new Entry(id) { Due = now };
        });
        entry.LastWanted = now;
        return entry.Snapshot;
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            foreach (var entry in _entries.Values)
            {
                if (now - entry.LastWanted > options.PollInterval * options.ForgetAfterIntervals)
                {
                    _entries.TryRemove(entry.Id, out _);
                    continue;
                }

                if (entry.Due <= now) await PollAsync(entry, stop).ConfigureAwait(false);
            }

            var next = _entries.Values.Select(e => e.Due).DefaultIfEmpty(now + options.PollInterval).Min();
            var wait = next - time.GetUtcNow();
            try
            {
                await _wake.WaitAsync(wait < TimeSpan.Zero ? TimeSpan.Zero : wait < options.PollInterval ? wait : options.PollInterval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task PollAsync(Entry entry, CancellationToken stop)
    {
        var before = entry.Snapshot;
        try
        {
            var task = await client.GetTaskAsync(entry.Id, stop).ConfigureAwait(false);
            entry.Snapshot = new TaskSnapshot(entry.Id, task, time.GetUtcNow(), null);
            entry.Backoff = TimeSpan.Zero;
            entry.Due = time.GetUtcNow() + Jittered(options.PollInterval);
        }
        catch (FlockApiException e)
        {
            entry.Snapshot = before with { LastError = e };
            entry.Backoff = entry.Backoff == TimeSpan.Zero ? options.ErrorBackoff : TimeSpan.FromTicks(Math.Min(entry.Backoff.Ticks * 2, options.PollInterval.Ticks));
            var retryIn = e.Error switch
            {
                FlockApiError.RateLimited => e.RetryAfter is { } after && after > entry.Backoff ? after : entry.Backoff,
                FlockApiError.NotFound => options.PollInterval,
                _ => entry.Backoff,
            };
            entry.Due = time.GetUtcNow() + retryIn;
            LogPollFailed(entry.Id, e.Error, retryIn);
        }

        if (!SameMeaning(before, entry.Snapshot)) Changed?.Invoke(entry.Id);
    }

    private TimeSpan Jittered(TimeSpan interval) =>
        interval * (1 + options.Jitter * (2 * Random.Shared.NextDouble() - 1));

    // lastSync moves on every successful poll; only a change of the task or of the error matters to resources.
    private static bool SameMeaning(TaskSnapshot a, TaskSnapshot b) =>
        a.Task == b.Task && a.LastError?.Error == b.LastError?.Error;

    [LoggerMessage(Level = LogLevel.Warning, Message = "reading FLock task {TaskId} failed ({Error}); retrying in {RetryIn}")]
    private partial void LogPollFailed(long taskId, FlockApiError error, TimeSpan retryIn);
}
