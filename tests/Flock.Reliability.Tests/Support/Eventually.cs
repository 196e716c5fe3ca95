namespace Flock.Reliability.Tests.Support;

/// <summary>Polls for an eventual state; the deadline guards against hangs and is no performance claim.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? deadline = null)
    {
        using var cts = new CancellationTokenSource(deadline ?? TimeSpan.FromSeconds(60));
        Exception? last = null;
        while (!cts.IsCancellationRequested)
        {
            try
            {
                if (await condition()) return;
                last = null;
            }
            catch (Exception e)
            {
                last = e;
            }

            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException($"never became true: {what()}", last);
    }
}
