using System.Text.Json.Nodes;
using Flock.Crds.V1Alpha1;
using k8s;
using Xunit.Abstractions;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Issue 11 item 2, the Kubernetes API family: while the API server restarts, drops watches, compacts its history
/// (watches get 410 and must relist), fails 20% of the operator's requests, answers its writes with 409 storms or
/// answers slowly, the operator still brings a training node and a validator up, suspends one and deletes the other;
/// and while the fault lasts it never reports a problem that is not there (no Stalled, no Failed phase).
/// The faults hit only the operator's identity, so the simulated cluster's own controllers keep working.
/// </summary>
public sealed class KubeApiFaultTests(ResilienceSandbox sandbox, ITestOutputHelper output) : IClassFixture<ResilienceSandbox>
{
    public static TheoryData<string> Faults => ["api server restarts", "watch drops", "history compaction (410)", "20% 5xx", "409 storms", "latency"];

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Workers_converge_and_nothing_false_is_reported_while_the_api_server_misbehaves(string fault)
    {
        await using var scene = await FaultScene.StartAsync(sandbox, "kube");
        var trainer = scene.TrainingNode("trainer");
        var validator = scene.Validator("validator");
        var faults = sandbox.Server.Faults;
        faults.Targets = user => user == scene.Identity.User;
        using var stop = new CancellationTokenSource();
        // Discrete faults strike between the steps and keep striking in the background; continuous ones are on throughout.
        Func<Task> strike = () => Task.CompletedTask;
        var before = (Restarts: sandbox.Server.Restarts, Requests: scene.Operator.Requests.All.Count);
        switch (fault)
        {
            case "api server restarts":
                strike = () => faults.RestartAsync();
                break;
            case "watch drops":
                strike = () => { faults.DropWatches(); return Task.CompletedTask; };
                break;
            case "history compaction (410)":
                strike = () => { faults.CompactHistory(); faults.DropWatches(); return Task.CompletedTask; };
                break;
            case "20% 5xx":
                faults.FailureRate = 0.2;
                faults.FailureCode = 503;
                faults.RetryAfterSeconds = 0;
                break;
            case "409 storms":
                strike = () => { faults.ConflictNextWrites(10); return Task.CompletedTask; };
                break;
            case "latency":
                faults.Latency = TimeSpan.FromMilliseconds(250);
                break;
        }

        // A 409 storm is a burst of conflicts at each step (the next 10 writes, whenever they come); re-arming it in the
        // background would make every write fail forever, an outage rather than a storm.
        var chaos = fault == "409 storms" ? Task.CompletedTask : Every(TimeSpan.FromMilliseconds(fault == "api server restarts" ? 1500 : 400), strike, stop.Token);
        try
        {
            await strike();
            await AsUserAsync(() => trainer.CreateAsync());
            await AsUserAsync(() => validator.CreateAsync());
            await strike();
            await FaultScene.RunningAsync(trainer);
            await FaultScene.RunningAsync(validator);
            await strike();
            await AsUserAsync(() => trainer.PatchSpecAsync(new JsonObject { ["suspend"] = true }));
            await strike();
            await FaultScene.UntilAsync(trainer, v => v.Status?.Phase == Phase.Suspended && v.Status.ObservedGeneration == v.Metadata.Generation, "Suspended");
            await AsUserAsync(() => validator.DeleteAsync());
            await strike();
            await FaultScene.GoneAsync(validator);
        }
        catch (TimeoutException e)
        {
            if (Environment.GetEnvironmentVariable("FAULT_LOG_DIR") is { } dir) await File.WriteAllLinesAsync(Path.Combine(dir, $"kube-{fault.Replace(' ', '-').Replace('%', 'p')}.log"), scene.Operator.Logs.Lines);
            throw new TimeoutException($"{e.Message}; statuses written: {scene.Log.Describe()}; operator warnings: " +
                string.Join(" | ", scene.Operator.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal)).TakeLast(6).Select(l => l[..Math.Min(300, l.Length)])), e);
        }
        finally
        {
            await stop.CancelAsync();
            await chaos;
            faults.Reset();
        }

        var writes = scene.Log.Writes;
        output.WriteLine($"{fault}: {writes.Count} status writes, {scene.Operator.Requests.All.Count - before.Requests} requests, {sandbox.Server.Restarts - before.Restarts} restarts; " +
            $"phases {string.Join(" → ", writes.Select(w => $"{w.Name}:{w.Phase}").Distinct())}");
        if (fault == "api server restarts") Assert.True(sandbox.Server.Restarts - before.Restarts >= 3, "the server restarted during the flow");
        Assert.DoesNotContain(writes, w => w.Stalled || w.Phase == nameof(Phase.Failed));
        Assert.DoesNotContain((await sandbox.Client().AppsV1.ListNamespacedDeploymentAsync(scene.Namespace)).Items, d => d.Metadata.Name == validator.WorkloadName);
        var suspended = await sandbox.Client().AppsV1.ReadNamespacedDeploymentAsync(trainer.WorkloadName, scene.Namespace);
        Assert.Equal(0, suspended.Spec.Replicas);
    }

    /// <summary>
    /// The user's own request during the fault: a client whose connection the restarting server dropped sends it again,
    /// as kubectl's user would; a retry that finds its first attempt applied (already exists, already gone) is done.
    /// </summary>
    private static async Task AsUserAsync(Func<Task> request)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await request();
                return;
            }
            catch (Exception e) when (attempt < 20 && (e is HttpRequestException or IOException
                || (e is Flock.Operator.Runtime.Client.KubeApiException k && (int)k.StatusCode >= 500)))
            {
                await Task.Delay(250);
            }
            catch (Flock.Operator.Runtime.Client.KubeApiException e) when (attempt > 1 && e.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
            {
                return;
            }
        }
    }

    private static async Task Every(TimeSpan interval, Func<Task> action, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, stop);
                await action();
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
