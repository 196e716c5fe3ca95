namespace Flock.KubectlPlugin.Tests.Support;

/// <summary>Polls for an eventual state with a generous deadline; the deadline is a hang guard, not a performance claim.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            try
            {
                await Task.Delay(50, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"never became true: {what}");
            }
        }
    }
}
