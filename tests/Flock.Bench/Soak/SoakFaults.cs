namespace Flock.Bench.Soak;

/// <summary>Faults injected in turn during the churn: each lasts a few seconds (or strikes once), then the world heals.</summary>
internal sealed class SoakFaults(SoakWorld world)
{
    private readonly List<string> _injected = [];

    public IReadOnlyList<string> Injected => _injected;

    public async Task RunAsync(TimeSpan every, CancellationToken stop)
    {
        var api = world.Server.Faults;
        api.Targets = user => user == SoakWorld.OperatorUser;
        (string Name, Func<Task> Strike)[] faults =
        [
            ("API 10% 503 for 6 s", () => ForAsync(() => api.FailureRate = 0.1, api.Reset, stop)),
            ("watch drops", () => { api.DropWatches(); return Task.CompletedTask; }),
            ("history compaction (410)", () => { api.CompactHistory(); api.DropWatches(); return Task.CompletedTask; }),
            ("API server restart", () => api.RestartAsync()),
            ("FLock API down for 6 s", () => ForAsync(() => world.FlockApi.Faults.FailAll(503), world.FlockApi.Faults.Reset, stop)),
            ("Akash RPC down for 4 s", () => ForAsync(() => world.Chain.Faults.RpcDown = true, () => world.Chain.Faults.RpcDown = false, stop, seconds: 4)),
            ("an Akash provider down for 6 s", () => ForAsync(() => world.Providers.Providers[0].SetDownAsync(true), () => world.Providers.Providers[0].SetDownAsync(false), stop)),
            ("409 burst (next 20 writes)", () => { api.ConflictNextWrites(20); return Task.CompletedTask; }),
            ("API latency 200 ms for 6 s", () => ForAsync(() => api.Latency = TimeSpan.FromMilliseconds(200), api.Reset, stop)),
        ];
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            try
            {
                await Task.Delay(every, stop);
                var (name, strike) = faults[i % faults.Length];
                _injected.Add(name);
                await strike();
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        api.Reset();
        world.FlockApi.Faults.Reset();
        world.Chain.Faults.Clear();
    }

    private static Task ForAsync(Action on, Action off, CancellationToken stop, int seconds = 6) =>
        ForAsync(() => { on(); return Task.CompletedTask; }, () => { off(); return Task.CompletedTask; }, stop, seconds);

    private static async Task ForAsync(Func<Task> on, Func<Task> off, CancellationToken stop, int seconds = 6)
    {
        await on();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), stop);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await off();
        }
    }
}
