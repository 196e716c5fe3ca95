using Flock.Akash.Client;
using Flock.Operator.Tests.Integration;
using k8s;
using Xunit.Abstractions;
using DeploymentState = Flock.Akash.Protos.DeploymentV1.Deployment.Types.State;
using LeaseState = Flock.Akash.Protos.MarketV1.Lease.Types.State;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// Issue 11 item 2, the Akash family: the node's RPC down, transactions rejected (sequence mismatch beyond the
/// signer's retries, a fee refused, an account that cannot pay), no bids, a provider that gives the lease up, an
/// escrow that runs dry. While each lasts the worker shows the reason a person would act on; afterwards it runs on
/// exactly one deployment with at most one active lease, and the account's books balance.
/// (A manifest the provider rejects and a provider that stops answering are in <c>AkashLeaseTests</c>.)
/// </summary>
public sealed class AkashFaultTests(ResilienceSandbox sandbox, ITestOutputHelper output) : IClassFixture<ResilienceSandbox>
{
    private AkashChainClient Chain() => new(new AkashClientOptions(new Uri(sandbox.Chain.GrpcUrl), sandbox.Chain.ChainId));

    [Fact]
    public async Task Chain_outages_and_rejected_transactions_show_their_reason_and_the_worker_still_gets_its_lease()
    {
        await using var scene = await FaultScene.StartAsync(sandbox, "chain");
        using var provider = await BiddingProvider.StartAsync(sandbox.Chain);
        await using var bidder = new AutoBidder(sandbox);
        var faults = sandbox.Chain.Faults;
        var seen = new List<string>();
        try
        {
            async Task CaseAsync(string name, Action inject, string reason, Func<string, Task>? heal = null, ulong uact = 50_000_000)
            {
                var (worker, owner) = await scene.AkashNodeAsync(name, uact: uact);
                bidder.Watch(worker, owner, _ => provider);
                inject();
                await worker.CreateAsync();
                await Eventually.TrueAsync(() => scene.Log.Showed(name, "LeaseActive", reason), $"{name}: LeaseActive=False/{reason}", TimeSpan.FromSeconds(60));
                seen.Add($"{name}: {reason}");
                if (heal is not null) await heal(owner);
                await FaultScene.UntilAsync(worker, v => v.IsRunning && v.Condition("LeaseActive")?.Status == Flock.Crds.V1Alpha1.ConditionStatus.True, "Running on a lease");
                await AssertOneDeploymentOneLeaseAsync(owner);
            }

            await CaseAsync("rpc-down", () => faults.RpcDown = true, "AkashUnavailable", _ => { faults.RpcDown = false; return Task.CompletedTask; });
            // More rejections than the signer re-signs (it re-reads the sequence three times per submission).
            await CaseAsync("sequence", () => faults.RejectNextTxs(9, 32, "account sequence mismatch: incorrect account sequence"), "SequenceMismatch");
            await CaseAsync("fee", () => faults.RejectNextTxs(1, 13, "insufficient fee; got: 1uakt required: 5000uakt"), "TxRejected");
            await CaseAsync("unfunded", () => { }, "InsufficientFunds", owner => sandbox.Chain.FundAsync(owner, 50_000_000, "uact"), uact: 0);


            // The node goes down under a worker that already runs on its lease: only the operator's view is gone, so the
            // worker is Degraded as last seen (Ready stays True, LeaseActive Unknown), never back to Provisioning.
            var (running, runningOwner) = await scene.AkashNodeAsync("rpc-down-running");
            bidder.Watch(running, runningOwner, _ => provider);
            await running.CreateAsync();
            await FaultScene.UntilAsync(running, v => v.IsRunning && v.Condition("LeaseActive")?.Status == Flock.Crds.V1Alpha1.ConditionStatus.True, "Running on a lease");
            var outage = scene.Log.Mark();
            faults.RpcDown = true;
            await Eventually.TrueAsync(() => scene.Log.Since(outage).Any(w => w.Name == "rpc-down-running" && w.Phase == "Degraded" && w.Has("LeaseActive", "AkashUnavailable")),
                "Degraded with LeaseActive=Unknown/AkashUnavailable", TimeSpan.FromSeconds(60));
            faults.RpcDown = false;
            await FaultScene.UntilAsync(running, v => v.Status?.Phase == Flock.Crds.V1Alpha1.Phase.Running && v.Condition("LeaseActive")?.Status == Flock.Crds.V1Alpha1.ConditionStatus.True, "Running again");
            var during = scene.Log.Since(outage).Where(w => w.Name == "rpc-down-running").ToList();
            Assert.All(during, w => Assert.True(w.Phase is "Running" or "Degraded" && w.Conditions["Ready"].Status == "True", w.ToString()));
            Assert.Contains(during, w => w.Conditions["LeaseActive"] is ("Unknown", "AkashUnavailable", _));
            await AssertOneDeploymentOneLeaseAsync(runningOwner);
            seen.Add("rpc-down-running: Degraded/AkashUnavailable");

            Assert.DoesNotContain(scene.Log.Writes.Where(w => w.Name is "rpc-down" or "rpc-down-running" or "sequence" or "unfunded"), w => w.Stalled);
            Assert.Contains(scene.Log.Writes, w => w.Name == "fee" && w.Stalled && w.Has("Ready", "TxRejected"));
            output.WriteLine("conditions seen: " + string.Join("; ", seen));
        }
        finally
        {
            faults.Clear();
        }
    }

    [Fact]
    public async Task No_bids_a_provider_that_quits_and_a_drained_escrow_show_their_reason_and_end_on_one_active_lease()
    {
        // Default top-ups off: the drained escrow is the fault under test, as when the account cannot pay or the cap is reached.
        await using var scene = await FaultScene.StartAsync(sandbox, "market", "--Akash:TopUpBelowHours=0");
        using var first = await BiddingProvider.StartAsync(sandbox.Chain);
        using var second = await BiddingProvider.StartAsync(sandbox.Chain);
        await using var bidder = new AutoBidder(sandbox);

        // Three workers side by side, each with its own account.
        async Task NoBidsAsync()
        {
            var (worker, owner) = await scene.AkashNodeAsync("no-bids");
            await worker.CreateAsync();
            await Eventually.TrueAsync(() => scene.Log.Writes.Any(w => w.Name == "no-bids" && w.Has("LeaseActive", "AwaitingBids") && w.Message("LeaseActive").Contains("no provider has bid", StringComparison.Ordinal)),
                "AwaitingBids once the window closed without a bid", TimeSpan.FromSeconds(60));
            bidder.Watch(worker, owner, _ => first);
            await FaultScene.UntilAsync(worker, v => v.IsRunning, "Running once a bid came");
            await AssertOneDeploymentOneLeaseAsync(owner);
        }

        async Task ProviderQuitsAsync()
        {
            var (worker, owner) = await scene.AkashNodeAsync("quitter");
            bidder.Watch(worker, owner, oseq => oseq == 1 ? first : second);
            await worker.CreateAsync();
            await FaultScene.UntilAsync(worker, v => v.IsRunning && v.Status?.Akash?.Provider == first.Address, "Running on the first provider");
            var dseq = (ulong)(await worker.ReadAsync())!.Status!.Akash!.Dseq!.Value;
            await first.CloseLeaseAsync(owner, dseq);
            await Eventually.TrueAsync(() => scene.Log.Showed("quitter", "LeaseActive", "LeaseLost"), "LeaseLost", TimeSpan.FromSeconds(60));
            await FaultScene.UntilAsync(worker, v => v.IsRunning && v.Status?.Akash?.Provider == second.Address, "Running on the second provider");
            await AssertOneDeploymentOneLeaseAsync(owner);
            using var chain = Chain();
            Assert.Equal(2, (await chain.ListLeasesAsync(owner, dseq)).Count);
        }

        async Task EscrowDrainsAsync()
        {
            var (worker, owner) = await scene.AkashNodeAsync("drained", deposit: "600000");
            bidder.Watch(worker, owner, _ => first, price: "1000");
            await worker.CreateAsync();
            await FaultScene.RunningAsync(worker);
            var dseq = (await worker.ReadAsync())!.Status!.Akash!.Dseq;
            await sandbox.Chain.MineAsync(700); // 600 blocks of funds at 1000 uact a block: the chain closes the deployment
            await Eventually.TrueAsync(() => scene.Log.Showed("drained", "LeaseActive", "DeploymentClosed"), "DeploymentClosed", TimeSpan.FromSeconds(60));
            await FaultScene.UntilAsync(worker, v => v.IsRunning && v.Status?.Akash?.Dseq != dseq, "Running on a replacement deployment");
            using var chain = Chain();
            var deployments = await chain.ListDeploymentsAsync(owner);
            Assert.Equal(2, deployments.Count);
            Assert.Single(deployments, d => d.Deployment.State == DeploymentState.Active);
            Assert.True(sandbox.Chain.BalanceSheet(owner).Balances);
        }

        await Task.WhenAll(NoBidsAsync(), ProviderQuitsAsync(), EscrowDrainsAsync());
        Assert.DoesNotContain(scene.Log.Writes, w => w.Stalled);
        output.WriteLine("conditions seen: " + string.Join("; ", scene.Log.Writes.Select(w => $"{w.Name}:{w.Conditions["LeaseActive"].Reason}").Distinct()));
    }

    [Fact]
    public async Task A_leader_killed_right_after_broadcasting_a_deployment_is_succeeded_by_the_other_replica_with_one_deployment()
    {
        using var provider = await BiddingProvider.StartAsync(sandbox.Chain);
        var ns = "leader-" + Guid.NewGuid().ToString("N")[..8];
        var flow = new AkashTrainingFlow(sandbox, ns, provider);
        await flow.PrepareAsync();
        var lease = "flock-" + Guid.NewGuid().ToString("N")[..8];
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var replicas = new Dictionary<string, OperatorProcess>();
        string[] Args(string name) =>
        [
            .. sandbox.OperatorArgs, .. OperatorIdentity.Create(sandbox, "replica").Args, "--watch-namespaces", ns,
            "--leader-elect", "true", "--identity", name, "--leader-election-namespace", "default", "--leader-election-id", lease,
            "--Operator:LeaderElection:LeaseDurationSeconds=3", "--Operator:LeaderElection:RenewDeadlineSeconds=2", "--Operator:LeaderElection:RetryPeriodSeconds=0.5",
        ];
        var killed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        string? leader = null;
        using var tap = sandbox.Taps.OnBroadcast(attempt =>
        {
            if (attempt.Point == Flock.Sandbox.AkashChain.BroadcastPoint.AfterCheckTx && attempt.Signers.Contains(flow.AkashOwner!) &&
                attempt.MessageTypes.Any(t => t.EndsWith("MsgCreateDeployment", StringComparison.Ordinal)) && !killed.Task.IsCompleted)
            {
                replicas[leader!].Kill();
                killed.TrySetResult(leader!);
            }

            return Task.FromResult(true);
        });
        try
        {
            replicas["a"] = OperatorProcess.Start(sandbox, lines, Args("a"));
            replicas["b"] = OperatorProcess.Start(sandbox, lines, Args("b"));
            await Eventually.TrueAsync(async () => (leader = await HolderAsync(lease)) is "a" or "b", "a replica leads");
            await flow.Worker.CreateAsync();
            var dead = await killed.Task.WaitAsync(TimeSpan.FromSeconds(90));
            var heir = dead == "a" ? "b" : "a";
            await Eventually.TrueAsync(flow.IsUpAsync, "Running under the new leader", TimeSpan.FromSeconds(90));
            Assert.Equal(heir, await HolderAsync(lease));
            await flow.AssertUpAsync(); // exactly one deployment, one active lease
            await flow.Worker.DeleteAsync();
            await Eventually.TrueAsync(async () => await flow.Worker.ReadAsync() is null && await flow.IsCleanAsync(), "deleted and closed", TimeSpan.FromSeconds(90));
            await flow.AssertCleanAsync();
            output.WriteLine($"leader {dead} killed after MsgCreateDeployment reached the mempool; {heir} took over; one deployment, closed on delete, escrow balanced");
        }
        finally
        {
            foreach (var replica in replicas.Values) await replica.DisposeAsync();
        }
    }

    private async Task<string?> HolderAsync(string lease)
    {
        try
        {
            return (await sandbox.Client().CoordinationV1.ReadNamespacedLeaseAsync(lease, "default")).Spec?.HolderIdentity;
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return null;
        }
    }

    private async Task AssertOneDeploymentOneLeaseAsync(string owner)
    {
        using var chain = Chain();
        var deployment = Assert.Single(await chain.ListDeploymentsAsync(owner));
        Assert.Equal(DeploymentState.Active, deployment.Deployment.State);
        Assert.Single(await chain.ListLeasesAsync(owner, deployment.Deployment.Id.Dseq), l => l.Lease.State == LeaseState.Active);
        Assert.True(sandbox.Chain.BalanceSheet(owner).Balances);
    }
}
