namespace Flock.Testing;

/// <summary>
/// Polls for an eventual state with a generous deadline; the deadline is a hang guard, not a performance claim.
/// A probe that throws is tried again; if the deadline passes, the last exception is the timeout's inner exception.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="probe"/> returns a value (not null) and returns it.</summary>
    public static Task<T> ValueAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? deadline = null) where T : class =>
        PollAsync(probe, () => $"never happened: {what}", deadline);

    public static Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? deadline = null) =>
        TrueAsync(condition, () => what, deadline);

    /// <summary>As <see cref="TrueAsync(Func{Task{bool}}, string, TimeSpan?)"/>, with a description built only if the wait times out.</summary>
    public static Task TrueAsync(Func<Task<bool>> condition, Func<string> what, TimeSpan? deadline = null) =>
        PollAsync(async () => await condition() ? "yes" : null, () => $"never became true: {what()}", deadline);

    public static Task TrueAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, deadline);

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe, Func<string> failure, TimeSpan? deadline) where T : class
    {
        using var cts = new CancellationTokenSource(deadline ?? DefaultDeadline);
        Exception? last = null;
        while (!cts.IsCancellationRequested)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }

                last = null;
            }
            catch (Exception e)
            {
                last = e;
            }

            try
            {
                await Task.Delay(PollInterval, cts.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        throw new TimeoutException(failure(), last);
    }
}
