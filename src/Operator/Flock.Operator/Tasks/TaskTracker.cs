using System.Collections.Concurrent;
using Flock.Operator.Runtime.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Tasks;

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

    /// <summary>
    /// While a task does not change, its lastSync moves on only this often: every resource on the task
    /// writes its status when lastSync moves, so this bounds steady-state writes.
    /// </summary>
    public TimeSpan SyncReportInterval { get; init; } = TimeSpan.FromMinutes(10);
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
    private readonly List<Func<IEnumerable<long>>> _sources = [];

    private sealed class Entry(long id)
    {
        public long Id { get; } = id;
        public TaskSnapshot Snapshot { get; set; } = new(id, null, null, null);
        public DateTimeOffset Due { get; set; }
        public TimeSpan Backoff { get; set; }
    }

    private readonly ChannelSource<long> _changes = new();

    /// <summary>Raised with a task id when its snapshot changed.</summary>
    public event Action<long>? Changed;

    /// <summary>The ids of tasks whose snapshot changed, as a source controllers watch.</summary>
    public IEventSource<long> Changes => _changes;

    /// <summary>
    /// Adds a source of the task ids in use (the resources in an informer's cache). A task stays polled
    /// while some source names it, and is dropped once none does.
    /// </summary>
    public void TrackFrom(Func<IEnumerable<long>> taskIdsInUse)
    {
        lock (_sources)
        {
            _sources.Add(taskIdsInUse);
        }
    }

    /// <summary>The latest snapshot of a task; a task not tracked yet is polled at once.</summary>
    public TaskSnapshot Watch(long taskId)
    {
        var entry = _entries.GetOrAdd(taskId, id =>
        {
            _wake.Release();
            return new Entry(id) { Due = time.GetUtcNow() };
        });
        return entry.Snapshot;
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var inUse = TaskIdsInUse();
            foreach (var id in inUse ?? []) Watch(id);
            foreach (var entry in _entries.Values)
            {
                if (inUse is not null && !inUse.Contains(entry.Id))
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
            FlockTask task;
            try
            {
                task = await client.GetTaskAsync(entry.Id, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not FlockApiException && !(e is OperationCanceledException && stop.IsCancellationRequested))
            {
                // Whatever else goes wrong in one read must not end the tracker's loop for every task.
                throw new FlockApiException(FlockApiError.Malformed, $"reading task {entry.Id} failed: {e.GetType().Name}: {e.Message}", inner: e);
            }

            var now = time.GetUtcNow();
            var sync = task == before.Task && before.LastSync is { } last && now - last < options.SyncReportInterval ? last : now;
            entry.Snapshot = new TaskSnapshot(entry.Id, task, sync, null);
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

        if (!SameMeaning(before, entry.Snapshot))
        {
            _changes.Publish(entry.Id);
            Changed?.Invoke(entry.Id);
        }
    }

    // Null when no source is registered: then every task ever asked about stays tracked.
    private HashSet<long>? TaskIdsInUse()
    {
        lock (_sources)
        {
            return _sources.Count == 0 ? null : _sources.SelectMany(s => s()).ToHashSet();
        }
    }

    private TimeSpan Jittered(TimeSpan interval) =>
        interval * (1 + options.Jitter * (2 * Random.Shared.NextDouble() - 1));

    private static bool SameMeaning(TaskSnapshot a, TaskSnapshot b) =>
        a.Task == b.Task && a.LastSync == b.LastSync && a.LastError?.Error == b.LastError?.Error;

    [LoggerMessage(Level = LogLevel.Warning, Message = "reading FLock task {TaskId} failed ({Error}); retrying in {RetryIn}")]
    private partial void LogPollFailed(long taskId, FlockApiError error, TimeSpan retryIn);
}
