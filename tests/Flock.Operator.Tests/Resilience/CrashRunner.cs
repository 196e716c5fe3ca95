using System.Collections.Concurrent;
using System.Diagnostics;
using Flock.Operator.Tests.Integration;

namespace Flock.Operator.Tests.Resilience;

/// <summary>How one run went: the points the victim reached (all of them when nothing was killed) and whether it died at the target.</summary>
public sealed record CrashRunResult(string Flow, WritePoint? Target, bool Killed, IReadOnlyList<WritePoint> Seen, TimeSpan Took, Exception? Failure)
{
    public override string ToString() =>
        $"{Flow} / {(Target is null ? "recording" : Target)}: {(Failure is null ? "converged" : "FAILED: " + Failure.Message)}{(Target is not null && !Killed ? " (point not reached in this run)" : "")} in {Took.TotalSeconds:N1} s";
}

/// <summary>
/// Runs a flow with an operator process that is SIGKILLed at one write point, then starts another at once, and checks
/// that the flow ends as it does without a crash: up with the invariants holding, then deleted with nothing left.
/// Each run has its own namespace (watched by its processes alone), identities and Akash account, so runs go side by side.
/// </summary>
public sealed class CrashRunner(ResilienceSandbox sandbox, BiddingProvider provider)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    public async Task<CrashRunResult> RunAsync(string flowName, Func<ResilienceSandbox, string, BiddingProvider, CrashFlow> create, WritePoint? target)
    {
        var clock = Stopwatch.StartNew();
        var ns = "crash-" + Guid.NewGuid().ToString("N")[..10];
        var flow = create(sandbox, ns, provider);
        var watch = new PointWatch(target);
        var output = new ConcurrentQueue<string>();
        OperatorProcess? victim = null;
        Task<OperatorProcess>? successor = null;
        try
        {
            await flow.PrepareAsync();
            var victimIdentity = OperatorIdentity.Create(sandbox, "victim");
            watch.Kill = () => victim!.Kill();
            using var taps = CrashTaps.Attach(sandbox, watch, victimIdentity.User, flow.AkashOwner);
            victim = OperatorProcess.Start(sandbox, output, Args(victimIdentity, ns, flow));
            // The moment the victim dies its successor starts, as a Deployment's ReplicaSet would start a new pod.
            successor = watch.Killed.ContinueWith(_ => OperatorProcess.Start(sandbox, output, Args(OperatorIdentity.Create(sandbox, "successor"), ns, flow)),
                CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

            await flow.Worker.CreateAsync();
            await Eventually.TrueAsync(flow.IsUpAsync, $"{flowName} up ({target})", Deadline);
            await flow.AssertUpAsync();
            await flow.Worker.DeleteAsync();
            await Eventually.TrueAsync(async () => await flow.Worker.ReadAsync() is null, $"{flowName} deleted ({target})", Deadline);
            await Eventually.TrueAsync(flow.IsCleanAsync, $"{flowName} cleaned up ({target})", Deadline);
            await flow.AssertCleanAsync();
            watch.Stop(); // waits for a kill in progress at the last point (the store had the write before the victim died)
            return new CrashRunResult(flowName, target, watch.Killed.IsCompleted, watch.Seen, clock.Elapsed, watch.KillFailure);
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            var state = await DescribeAsync(flow);
            return new CrashRunResult(flowName, target, watch.Killed.IsCompleted, watch.Seen, clock.Elapsed,
                new InvalidOperationException($"{e.Message}; {state}; last output: {string.Join(" | ", output.TakeLast(8))}", e));
        }
        finally
        {
            watch.Stop();
            if (victim is not null) await victim.DisposeAsync();
            if (watch.Killed.IsCompleted) await (await successor!).DisposeAsync();
        }
    }

    private string[] Args(OperatorIdentity identity, string ns, CrashFlow flow) => [.. sandbox.OperatorArgs, .. flow.OperatorArgs, .. identity.Args, "--watch-namespaces", ns];

    private static async Task<string> DescribeAsync(CrashFlow flow)
    {
        try
        {
            return (await flow.Worker.ReadAsync())?.ToString() ?? "resource gone";
        }
        catch (Exception e)
        {
            return $"resource unreadable ({e.GetType().Name})";
        }
    }
}
