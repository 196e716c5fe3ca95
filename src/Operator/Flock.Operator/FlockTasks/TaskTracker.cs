using Flock.Operator.Runtime.Polling;
using Flock.Operator.Runtime.Sources;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.FlockTasks;

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
/// other errors keep the last known task and retry with backoff. <see cref="Changed"/> fires (and
/// <see cref="Changes"/> publishes) when a task's state or error changes, so the resources on it
/// reconcile at once. The polling itself is the runtime's <see cref="KeyedPoller{TKey, TSnapshot}"/>;
/// what a read of a task is, is <see cref="TaskPoll"/>.
/// </summary>
public sealed class TaskTracker(FlockApiClient client, TaskTrackerOptions options, TimeProvider time, ILogger<TaskTracker> logger) : BackgroundService
{
    private readonly KeyedPoller<long, TaskSnapshot> _poller = new(new TaskPoll(client, options, time, logger),
        new KeyedPollerOptions { PollInterval = options.PollInterval, Jitter = options.Jitter, ErrorBackoff = options.ErrorBackoff }, time);

    /// <summary>Raised with a task id when its snapshot changed.</summary>
    public event Action<long>? Changed
    {
        add => _poller.Changed += value;
        remove => _poller.Changed -= value;
    }

    /// <summary>The ids of tasks whose snapshot changed, as a source controllers watch.</summary>
    public IEventSource<long> Changes => _poller.Changes;

    /// <summary>
    /// Adds a source of the task ids in use (the resources in an informer's cache). A task stays polled
    /// while some source names it, and is dropped once none does.
    /// </summary>
    public void TrackFrom(Func<IEnumerable<long>> taskIdsInUse) => _poller.TrackFrom(taskIdsInUse);

    /// <summary>The latest snapshot of a task; a task not tracked yet is polled at once.</summary>
    public TaskSnapshot Watch(long taskId) => _poller.Watch(taskId);

    protected override Task ExecuteAsync(CancellationToken stop) => _poller.RunAsync(stop);
}
