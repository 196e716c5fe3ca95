using System.Diagnostics;
using System.Text.Json.Nodes;
using Flock.Operator.Staking;
using Flock.Sandbox.Evm;

namespace Flock.Evm.Tests;

public sealed class EvmSandboxTests
{
    [Fact]
    public async Task The_sandbox_chain_looks_like_Base_mines_on_demand_and_dies_with_its_owner()
    {
        var sandbox = await EvmSandbox.StartAsync(new EvmSandboxOptions { AccountCount = 3 });
        var pid = sandbox.ProcessId;
        var rpc = new HttpEthereumRpc(sandbox.RpcUrl, timeout: TimeSpan.FromSeconds(5));
        try
        {
            var chainId = await rpc.SendAsync("eth_chainId", [], CancellationToken.None);
            var before = await sandbox.BlockNumberAsync();
            await sandbox.MineAsync(3);
            var after = await sandbox.BlockNumberAsync();
            var ether = await rpc.SendAsync("eth_getBalance", [sandbox.Accounts[2].Address, "latest"], CancellationToken.None);

            Assert.Equal("0x2105", chainId.GetString()); // 8453
            Assert.StartsWith("http://127.0.0.1:", sandbox.RpcUrl, StringComparison.Ordinal);
            Assert.Equal(before + 3, after);
            Assert.NotEqual("0x0", ether.GetString());
            Assert.Equal(3, sandbox.Accounts.Select(a => a.Address).Distinct().Count());
            Assert.All(sandbox.Accounts, a => Assert.DoesNotContain(a.PrivateKey[2..], a.ToString(), StringComparison.OrdinalIgnoreCase));
            Assert.True(ChainSettings.IsAddress(sandbox.TaskManagerAddress));
            Assert.True(ChainSettings.IsAddress(sandbox.TokenAddress));
        }
        finally
        {
            await sandbox.DisposeAsync();
        }

        var gone = await Assert.ThrowsAsync<EthereumRpcException>(() => rpc.SendAsync("eth_chainId", [], CancellationToken.None));
        Assert.True(gone.IsTransport);
        Assert.False(IsRunning(pid));
        rpc.Dispose();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
