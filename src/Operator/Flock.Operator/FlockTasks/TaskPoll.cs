using Flock.Operator.Runtime.Polling;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.FlockTasks;

/// <summary>
/// One read of one FLock task for the <see cref="TaskTracker"/>: the task with its lastSync (moved on only every
/// <see cref="TaskTrackerOptions.SyncReportInterval"/> while the task stays the same), or the error with the last
/// known task kept.
/// </summary>
internal sealed partial class TaskPoll(FlockApiClient client, TaskTrackerOptions options, TimeProvider time, ILogger logger) : IPollTarget<long, TaskSnapshot>
{
    public TaskSnapshot Unread(long taskId) => new(taskId, null, null, null);

    public async Task<PollResult<TaskSnapshot>> PollAsync(PollAttempt<long, TaskSnapshot> attempt, CancellationToken stop)
    {
        var before = attempt.Before;
        try
        {
            FlockTask task;
            try
            {
                task = await client.GetTaskAsync(attempt.Key, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not FlockApiException && !(e is OperationCanceledException && stop.IsCancellationRequested))
            {
                // Whatever else goes wrong in one read must not end the tracker's loop for every task.
                throw new FlockApiException(FlockApiError.Malformed, $"reading task {attempt.Key} failed: {e.GetType().Name}: {e.Message}", inner: e);
            }

            var now = time.GetUtcNow();
            var sync = task == before.Task && before.LastSync is { } last && now - last < options.SyncReportInterval ? last : now;
            return PollResult<TaskSnapshot>.Success(new TaskSnapshot(attempt.Key, task, sync, null));
        }
        catch (FlockApiException e)
        {
            var retryIn = e.Error switch
            {
                FlockApiError.RateLimited => e.RetryAfter is { } after && after > attempt.BackoffIfFailed ? after : attempt.BackoffIfFailed,
                FlockApiError.NotFound => options.PollInterval,
                _ => attempt.BackoffIfFailed,
            };
            LogPollFailed(attempt.Key, e.Error, retryIn);
            return PollResult<TaskSnapshot>.Failure(before with { LastError = e }, retryIn);
        }
    }

    public bool Differs(TaskSnapshot before, TaskSnapshot after) =>
        before.Task != after.Task || before.LastSync != after.LastSync || before.LastError?.Error != after.LastError?.Error;

    [LoggerMessage(Level = LogLevel.Warning, Message = "reading FLock task {TaskId} failed ({Error}); retrying in {RetryIn}")]
    private partial void LogPollFailed(long taskId, FlockApiError error, TimeSpan retryIn);
}
