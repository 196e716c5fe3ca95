using System.Numerics;
using Flock.Operator.Staking;
using Flock.Sandbox.Evm;
using static Flock.Evm.Tests.GanacheFixture;

namespace Flock.Evm.Tests;

public sealed class StakingReaderTests(GanacheFixture chain) : IClassFixture<GanacheFixture>
{
    private EvmSandbox Sandbox => chain.Sandbox;

    [Fact]
    public async Task A_wallet_that_never_staked_reads_zero_below_the_minimum()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());

        var reading = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);

        Assert.Equal(BigInteger.Zero, reading.Amount);
        Assert.Equal(Tokens(3000), reading.Minimum);
        Assert.False(reading.MeetsMinimum);
        Assert.Equal(Tokens(3000), reading.Shortfall);
        Assert.False(reading.OtherRoleStaked);
        Assert.False(reading.TaskCompleted);
        Assert.Equal(task, reading.TaskId);
        Assert.Equal(wallet.Address, reading.Address);
    }

    [Fact]
    public async Task A_stake_sent_is_read_back_exactly_and_further_stakes_accumulate()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());

        var first = await Sandbox.StakeAsNodeAsync(wallet, task, Tokens(3000));
        var afterFirst = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
        await Sandbox.StakeAsNodeAsync(wallet, task, Tokens(1) / 2);
        var afterSecond = await reader.ReadAsync(task, wallet.Address.ToLowerInvariant(), StakeRole.Node);

        Assert.Equal(Tokens(3000), afterFirst.Amount);
        Assert.True(afterFirst.MeetsMinimum);
        Assert.True(afterFirst.Block >= first.Block);
        Assert.Equal(Tokens(3000) + (Tokens(1) / 2), afterSecond.Amount);
        Assert.Equal("3000.5 gmFLOCK", GmFlockAmount.ToDisplayString(afterSecond.Amount));
        Assert.Equal(wallet.Address, afterSecond.Address); // checksummed even when asked in lower case
        Assert.Equal(Tokens(100_000) - Tokens(3000) - (Tokens(1) / 2), await Sandbox.TokenBalanceAsync(wallet.Address));
    }

    [Fact]
    public async Task A_validator_read_as_a_node_shows_the_other_role_and_the_contract_refuses_the_second_role()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());
        await Sandbox.StakeAsValidatorAsync(wallet, task, Tokens(5000));

        var asNode = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
        var asValidator = await reader.ReadAsync(task, wallet.Address, StakeRole.Validator);
        var refused = await Assert.ThrowsAsync<EvmTransactionException>(() => Sandbox.StakeAsNodeAsync(wallet, task, Tokens(3000)));

        Assert.Equal(BigInteger.Zero, asNode.Amount);
        Assert.True(asNode.OtherRoleStaked);
        Assert.Equal(Tokens(5000), asValidator.Amount);
        Assert.False(asValidator.OtherRoleStaked);
        Assert.Contains("Already staked as validator", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stake_below_the_minimum_is_refused_and_reads_as_nothing()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());

        var refused = await Assert.ThrowsAsync<EvmTransactionException>(() => Sandbox.StakeAsNodeAsync(wallet, task, Tokens(2999)));
        var reading = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);

        Assert.Contains("less than minimum", refused.Message, StringComparison.Ordinal);
        Assert.Equal(BigInteger.Zero, reading.Amount);
    }

    [Fact]
    public async Task Withdrawal_is_refused_before_the_task_completes_and_empties_the_stake_after()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());
        await Sandbox.StakeAsNodeAsync(wallet, task, Tokens(4000));

        var early = await Assert.ThrowsAsync<EvmTransactionException>(() => Sandbox.WithdrawAsNodeAsync(wallet, task));
        var stillStaked = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
        await Sandbox.FinishTaskAsync(task);
        var finished = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
        await Sandbox.WithdrawAsNodeAsync(wallet, task);
        var withdrawn = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);

        Assert.Contains("not yet completed", early.Message, StringComparison.Ordinal);
        Assert.Equal(Tokens(4000), stillStaked.Amount);
        Assert.False(stillStaked.TaskCompleted);
        Assert.True(finished.TaskCompleted);
        Assert.Equal(Tokens(4000), finished.Amount);
        Assert.Equal(BigInteger.Zero, withdrawn.Amount);
        Assert.True(withdrawn.TaskCompleted);
        Assert.True(await reader.IsTaskCompletedAsync(task));
        Assert.Equal(Tokens(100_000), await Sandbox.TokenBalanceAsync(wallet.Address));
    }

    [Fact]
    public async Task Validator_withdrawal_follows_the_same_rule()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());
        await Sandbox.StakeAsValidatorAsync(wallet, task, Tokens(3000));

        await Assert.ThrowsAsync<EvmTransactionException>(() => Sandbox.WithdrawAsValidatorAsync(wallet, task));
        await Sandbox.FinishTaskAsync(task);
        await Sandbox.WithdrawAsValidatorAsync(wallet, task);
        var reading = await reader.ReadAsync(task, wallet.Address, StakeRole.Validator);

        Assert.Equal(BigInteger.Zero, reading.Amount);
        Assert.True(reading.TaskCompleted);
    }

    [Fact]
    public async Task Amounts_beyond_64_bits_survive_exactly()
    {
        var huge = BigInteger.Pow(10, 30) + 123_456_789; // ~2^99.6 wei, with low digits that a double would lose
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync(huge);
        using var reader = new StakingReader(chain.Settings());

        await Sandbox.StakeAsValidatorAsync(wallet, task, huge);
        var reading = await reader.ReadAsync(task, wallet.Address, StakeRole.Validator);

        Assert.True(huge > ulong.MaxValue);
        Assert.Equal(huge, reading.Amount);
        Assert.Equal("1000000000000.000000000123456789", GmFlockAmount.ToDecimalString(reading.Amount));
        Assert.Equal(BigInteger.Zero, await Sandbox.TokenBalanceAsync(wallet.Address));
    }

    [Fact]
    public async Task Minimums_are_read_live_from_the_contract()
    {
        var task = await chain.NewTaskAsync();
        var wallet = await chain.NewAccountAsync();
        using var reader = new StakingReader(chain.Settings());
        try
        {
            await Sandbox.SetMinimumsAsync(Tokens(10), Tokens(20));
            var node = await reader.ReadAsync(task, wallet.Address, StakeRole.Node);
            var validator = await reader.ReadAsync(task, wallet.Address, StakeRole.Validator);

            Assert.Equal(Tokens(10), node.Minimum);
            Assert.Equal(Tokens(20), validator.Minimum);
            Assert.Equal(Tokens(20), await reader.ReadMinimumAsync(StakeRole.Validator));
        }
        finally
        {
            await Sandbox.SetMinimumsAsync(Tokens(3000), Tokens(3000));
        }
    }

    [Fact]
    public async Task A_chain_id_mismatch_is_a_typed_error_not_a_wrong_read()
    {
        var settings = new ChainSettings(Sandbox.RpcUrl, 84532 /* Base Sepolia */, Sandbox.TaskManagerAddress);
        using var reader = new StakingReader(settings);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1000, Sandbox.Accounts[1].Address, StakeRole.Node));

        Assert.Equal(StakingReadError.ChainIdMismatch, e.Reason);
        Assert.False(e.IsTransient);
        Assert.Contains("8453", e.Message, StringComparison.Ordinal);
        Assert.Contains("84532", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_without_code_is_ContractMissing()
    {
        var settings = new ChainSettings(Sandbox.RpcUrl, Sandbox.ChainId, Sandbox.Accounts[^1].Address);
        using var reader = new StakingReader(settings);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1000, Sandbox.Accounts[1].Address, StakeRole.Validator));

        Assert.Equal(StakingReadError.ContractMissing, e.Reason);
    }

    [Fact]
    public async Task A_contract_that_is_not_a_task_manager_is_MalformedResult()
    {
        var settings = new ChainSettings(Sandbox.RpcUrl, Sandbox.ChainId, Sandbox.TokenAddress);
        using var reader = new StakingReader(settings);

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1000, Sandbox.Accounts[1].Address, StakeRole.Node));

        Assert.Equal(StakingReadError.MalformedResult, e.Reason);
    }

    [Fact]
    public async Task An_unreachable_rpc_is_RpcUnavailable_and_the_message_hides_the_url_path()
    {
        var port = ClosedPort();
        var settings = new ChainSettings($"http://127.0.0.1:{port}/v2/secret-api-key", 8453, Sandbox.TaskManagerAddress);
        using var reader = new StakingReader(settings, requestTimeout: TimeSpan.FromSeconds(5));

        var e = await Assert.ThrowsAsync<StakingReadException>(() => reader.ReadAsync(1000, Sandbox.Accounts[1].Address, StakeRole.Node));

        Assert.Equal(StakingReadError.RpcUnavailable, e.Reason);
        Assert.True(e.IsTransient);
        Assert.DoesNotContain("secret-api-key", e.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret-api-key", settings.ToString(), StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
