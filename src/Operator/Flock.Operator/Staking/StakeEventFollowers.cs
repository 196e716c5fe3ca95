using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Staking;

/// <summary>
/// One <see cref="StakeEventFollower"/> per chain a stake is tracked on, started the first time the chain is in use
/// and run until the tracker stops; each event it decodes goes to <paramref name="onEvent"/>.
/// </summary>
internal sealed partial class StakeEventFollowers(TimeSpan pollInterval, TimeProvider time, ILogger logger, Telemetry.FlockMetrics? metrics,
    Action<ChainSettings, StakeEvent> onEvent)
{
    private readonly ConcurrentDictionary<ChainSettings, Task> _followers = new();

    /// <summary>Starts the chain's follower unless it runs already; it stops when <paramref name="stop"/> is cancelled.</summary>
    public void Ensure(ChainSettings chain, CancellationToken stop) =>
        _followers.GetOrAdd(chain, c =>
        {
            var follower = new StakeEventFollower(c, (e, _) =>
            {
                onEvent(c, e);
                return ValueTask.CompletedTask;
            }, new StakeEventFollowerOptions { PollInterval = pollInterval }, time, metrics);
            return Task.Run(() => RunAsync(follower, stop), CancellationToken.None);
        });

    private async Task RunAsync(StakeEventFollower follower, CancellationToken stop)
    {
        using (follower)
        {
            try
            {
                await follower.RunAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e)
            {
                LogFollowerStopped(e, follower.Settings.ToString());
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "the stake event follower for {Chain} stopped")]
    private partial void LogFollowerStopped(Exception e, string chain);
}
