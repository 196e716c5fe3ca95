using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Operator.Staking;
using Flock.Sandbox.Evm;
using static Flock.Evm.Tests.GanacheFixture;

namespace Flock.Evm.Tests;

public sealed class StakeEventFollowerTests(GanacheFixture chain) : IClassFixture<GanacheFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private EvmSandbox Sandbox => chain.Sandbox;

    [Fact]
    public async Task A_deposit_is_reported_by_the_first_poll_after_its_block_with_the_cumulative_amount()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        var seen = new List<StakeEvent>();
        using var follower = new StakeEventFollower(chain.Settings(), new HttpEthereumRpc(Sandbox.RpcUrl),
            (e, _) => { seen.Add(e); return ValueTask.CompletedTask; });
        await follower.PollOnceAsync();

        var first = await Sandbox.StakeAsNodeAsync(wallet, task, Tokens(3000));
        await follower.PollOnceAsync();
        var afterFirst = seen.ToList();
        var second = await Sandbox.StakeAsNodeAsync(wallet, task, Tokens(500));
        await follower.PollOnceAsync();

        var deposit = Assert.Single(afterFirst);
        Assert.Equal(new StakeEvent(StakeEventKind.NodeStakeDeposited, task, wallet.Address, Tokens(3000), first.Block, first.Hash, deposit.LogIndex), deposit);
        Assert.Equal(StakeRole.Node, deposit.Role);
        Assert.Equal(2, seen.Count);
        Assert.Equal(Tokens(3500), seen[1].Amount); // the new cumulative stake, as the real contract emits
        Assert.Equal(second.Block, seen[1].Block);
    }

    [Fact]
    public async Task Running_in_the_background_it_reports_a_validator_deposit()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        var seen = new ConcurrentQueue<StakeEvent>();
        using var follower = new StakeEventFollower(chain.Settings(), new HttpEthereumRpc(Sandbox.RpcUrl),
            (e, _) => { seen.Enqueue(e); return ValueTask.CompletedTask; },
            new StakeEventFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(50), TaskIds = [task] });
        using var cts = new CancellationTokenSource();
        var run = follower.RunAsync(cts.Token);
        await Eventually(() => follower.LastProcessedBlock is not null);

        var stake = await Sandbox.StakeAsValidatorAsync(wallet, task, Tokens(3000));
        await Eventually(() => !seen.IsEmpty);
        await cts.CancelAsync();
        await run;

        var e = Assert.Single(seen);
        Assert.Equal(StakeEventKind.ValidatorStakeDeposited, e.Kind);
        Assert.Equal(wallet.Address, e.Address);
        Assert.Equal(stake.Block, e.Block);
    }

    [Fact]
    public async Task Task_and_address_filters_keep_only_the_matching_wallets_but_always_report_the_task_finishing()
    {
        var task = await chain.NewTaskAsync();
        var otherTask = await chain.NewTaskAsync();
        var watched = await chain.NewAccountAsync();
        var other = await chain.NewAccountAsync();
        var start = await Sandbox.BlockNumberAsync() + 1;
        var seen = new List<StakeEvent>();
        using var follower = new StakeEventFollower(chain.Settings(), new HttpEthereumRpc(Sandbox.RpcUrl),
            (e, _) => { seen.Add(e); return ValueTask.CompletedTask; },
            new StakeEventFollowerOptions { StartBlock = start, TaskIds = [task], Addresses = [watched.Address.ToLowerInvariant()] });

        await Sandbox.StakeAsNodeAsync(other, task, Tokens(3000));
        await Sandbox.StakeAsNodeAsync(watched, otherTask, Tokens(3000));
        await Sandbox.StakeAsNodeAsync(watched, task, Tokens(3000));
        await Sandbox.FinishTaskAsync(otherTask);
        await Sandbox.FinishTaskAsync(task);
        await Sandbox.WithdrawAsNodeAsync(watched, task);
        while (await follower.PollOnceAsync())
        {
        }

        Assert.Equal(
            [
                (StakeEventKind.NodeStakeDeposited, task, (string?)watched.Address, Tokens(3000)),
                (StakeEventKind.TaskFinished, task, null, BigInteger.Zero),
                (StakeEventKind.NodeStakeWithdrawn, task, watched.Address, Tokens(3000)),
            ],
            seen.Select(e => (e.Kind, e.TaskId, e.Address, e.Amount)));
    }

    [Fact]
    public async Task Replaying_history_in_small_ranges_finds_every_event_in_chain_order()
    {
        var task = await chain.NewTaskAsync();
        var wallets = new[] { await chain.NewAccountAsync(), await chain.NewAccountAsync() };
        var start = await Sandbox.BlockNumberAsync() + 1;
        var expected = new List<long>();
        foreach (var w in wallets)
        {
            expected.Add((await Sandbox.StakeAsNodeAsync(w, task, Tokens(3000))).Block);
            await Sandbox.MineAsync(3);
            expected.Add((await Sandbox.StakeAsNodeAsync(w, task, Tokens(1))).Block);
        }

        var seen = new List<StakeEvent>();
        using var follower = new StakeEventFollower(chain.Settings(), new HttpEthereumRpc(Sandbox.RpcUrl),
            (e, _) => { seen.Add(e); return ValueTask.CompletedTask; },
            new StakeEventFollowerOptions { StartBlock = start, MaxBlockRange = 2, TaskIds = [task] });
        var polls = 1;
        while (await follower.PollOnceAsync())
        {
            polls++;
        }

        Assert.Equal(expected, seen.Select(e => e.Block));
        Assert.Equal([Tokens(3000), Tokens(3001), Tokens(3000), Tokens(3001)], seen.Select(e => e.Amount));
        Assert.Equal(await Sandbox.BlockNumberAsync(), follower.LastProcessedBlock);
        Assert.True(polls > 1);
    }

    [Fact]
    public async Task Rpc_failures_are_retried_with_backoff_and_no_block_range_is_skipped()
    {
        var task = await chain.NewTaskAsync();
        var wallets = new[] { await chain.NewAccountAsync(), await chain.NewAccountAsync(), await chain.NewAccountAsync() };
        var flaky = new FlakyRpc(new HttpEthereumRpc(Sandbox.RpcUrl));
        var seen = new ConcurrentQueue<StakeEvent>();
        var errors = new ConcurrentQueue<(Exception Error, TimeSpan Pause)>();
        using var follower = new StakeEventFollower(chain.Settings(), flaky,
            (e, _) => { seen.Enqueue(e); return ValueTask.CompletedTask; },
            new StakeEventFollowerOptions
            {
                PollInterval = TimeSpan.FromMilliseconds(20),
                InitialBackoff = TimeSpan.FromMilliseconds(10),
                MaxBackoff = TimeSpan.FromMilliseconds(40),
                TaskIds = [task],
            })
        { OnError = (e, pause) => errors.Enqueue((e, pause)) };
        using var cts = new CancellationTokenSource();
        var run = follower.RunAsync(cts.Token);
        await Eventually(() => follower.LastProcessedBlock is not null);

        flaky.FailNext("eth_getLogs", 4);
        var blocks = new List<long>();
        foreach (var w in wallets)
        {
            blocks.Add((await Sandbox.StakeAsNodeAsync(w, task, Tokens(3000))).Block);
        }

        await Eventually(() => seen.Count == wallets.Length);
        await cts.CancelAsync();
        await run;

        Assert.Equal(blocks, seen.Select(e => e.Block));
        Assert.Equal(wallets.Select(w => w.Address), seen.Select(e => e.Address));
        Assert.Equal(4, errors.Count);
        Assert.All(errors, e => Assert.Equal(StakingReadError.RpcUnavailable, Assert.IsType<StakingReadException>(e.Error).Reason));
        Assert.Equal(
            [TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(40)],
            errors.Select(e => e.Pause));
        Assert.Equal(0, follower.ConsecutiveFailures);
    }

    [Fact]
    public async Task A_follower_pointed_at_another_chain_reports_ChainIdMismatch()
    {
        using var follower = new StakeEventFollower(new ChainSettings(Sandbox.RpcUrl, 1, Sandbox.TaskManagerAddress), new HttpEthereumRpc(Sandbox.RpcUrl),
            (_, _) => ValueTask.CompletedTask);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => follower.PollOnceAsync());

        Assert.Equal(StakingReadError.ChainIdMismatch, e.Reason);
        Assert.Null(follower.LastProcessedBlock);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            await Task.Delay(20, cts.Token);
        }
    }

    /// <summary>Passes calls through, except that it fails the next N calls of one method like a dropped connection.</summary>
    private sealed class FlakyRpc(IEthereumRpc inner) : IEthereumRpc
    {
        private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

        public void FailNext(string method, int times) => _failures[method] = times;

        public Task<JsonElement> SendAsync(string method, JsonArray parameters, CancellationToken cancellationToken)
        {
            while (_failures.TryGetValue(method, out var left) && left > 0)
            {
                if (_failures.TryUpdate(method, left - 1, left))
                {
                    throw new EthereumRpcException($"{method}: connection reset (injected)");
                }
            }

            return inner.SendAsync(method, parameters, cancellationToken);
        }
    }
}
