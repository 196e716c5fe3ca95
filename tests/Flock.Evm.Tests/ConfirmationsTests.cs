using System.Numerics;
using Flock.Operator.Staking;
using static Flock.Evm.Tests.GanacheFixture;

namespace Flock.Evm.Tests;

public sealed class ConfirmationsTests(GanacheFixture chain) : IClassFixture<GanacheFixture>
{
    [Fact]
    public async Task A_stake_stays_hidden_until_enough_blocks_bury_it()
    {
        const int confirmations = 3;
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings(confirmations));
        using var latestReader = new StakingReader(chain.Settings());

        var stake = await chain.Sandbox.StakeAsNodeAsync(wallet, task, Tokens(3000));
        var unconfirmed = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
        var atHead = await latestReader.ReadAsync(task, wallet.Address, StakeRole.Node);
        await chain.Sandbox.MineAsync(confirmations - 1);
        var almost = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
        await chain.Sandbox.MineAsync(1);
        var confirmed = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);

        Assert.Equal(BigInteger.Zero, unconfirmed.Amount);
        Assert.Equal(stake.Block - confirmations, unconfirmed.Block);
        Assert.Equal(Tokens(3000), atHead.Amount);
        Assert.Equal(BigInteger.Zero, almost.Amount);
        Assert.Equal(Tokens(3000), confirmed.Amount);
        Assert.Equal(stake.Block, confirmed.Block);
        Assert.Equal(await chain.Sandbox.BlockNumberAsync() - confirmations, confirmed.Block);
    }

    [Fact]
    public async Task The_follower_delivers_a_deposit_only_once_it_has_the_confirmations()
    {
        const int confirmations = 2;
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        var seen = new List<StakeEvent>();
        using var follower = new StakeEventFollower(chain.Settings(confirmations), new HttpEthereumRpc(chain.Sandbox.RpcUrl),
            (e, _) => { seen.Add(e); return ValueTask.CompletedTask; },
            new StakeEventFollowerOptions { TaskIds = [task] });
        await follower.PollOnceAsync(); // starts after the current safe head

        var stake = await chain.Sandbox.StakeAsNodeAsync(wallet, task, Tokens(3000));
        await follower.PollOnceAsync();
        var beforeConfirmations = seen.Count;
        await chain.Sandbox.MineAsync(confirmations);
        await follower.PollOnceAsync();

        Assert.Equal(0, beforeConfirmations);
        var e = Assert.Single(seen);
        Assert.Equal(StakeEventKind.NodeStakeDeposited, e.Kind);
        Assert.Equal(stake.Block, e.Block);
        Assert.Equal(stake.Block, follower.LastProcessedBlock);
    }
}
