using System.Numerics;
using Flock.Operator.Staking;
using Flock.Sandbox.Evm;

namespace Flock.Evm.Tests;

/// <summary>One instamining ganache with the sandbox contracts per test class; tests take fresh task ids and accounts.</summary>
public sealed class GanacheFixture : IAsyncLifetime
{
    private int _nextTask = 1000;
    private int _nextAccount;

    public EvmSandbox Sandbox { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Sandbox = await EvmSandbox.StartAsync(new EvmSandboxOptions { AccountCount = 24 });

    public async Task DisposeAsync() => await Sandbox.DisposeAsync();

    public ChainSettings Settings(int confirmations = 0) =>
        new(Sandbox.RpcUrl, Sandbox.ChainId, Sandbox.TaskManagerAddress, confirmations);

    /// <summary>A task id no other test of the class uses, already created on chain.</summary>
    public async Task<long> NewTaskAsync()
    {
        var id = Interlocked.Increment(ref _nextTask);
        await Sandbox.CreateTaskAsync(id);
        return id;
    }

    /// <summary>An account no other test of the class uses (never the owner), minted <paramref name="tokens"/> gmFLOCK.</summary>
    public async Task<SandboxAccount> NewAccountAsync(BigInteger? tokensWei = null)
    {
        var index = Interlocked.Increment(ref _nextAccount);
        var account = Sandbox.Accounts[index];
        await Sandbox.MintAsync(account.Address, tokensWei ?? Tokens(100_000));
        return account;
    }

    public static BigInteger Tokens(long whole) => whole * EvmSandbox.OneToken;
}
