using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The sandbox plus a simulated cluster: two GPU nodes (H100, A100) and a CPU node, a scheduler, the
/// deployment and replica-set controllers and kubelets that run pods. Validator tasks 7, 8 and 9 are
/// open, and <see cref="ValidatorStaker"/> is staked as a validator on each.
/// </summary>
public sealed class ClusterSandbox : Sandbox
{
    public SimulatedCluster Cluster { get; private set; } = null!;

    public SandboxAccount ValidatorStaker => Evm.Accounts[8];

    protected override async Task StartExtrasAsync()
    {
        Cluster = await SimulatedCluster.StartAsync(Client(), new ClusterOptions { SchedulerRetryInterval = TimeSpan.FromMilliseconds(500) },
            NullLoggerFactory.Instance, new LogSink(Server.Logs));
        var now = DateTimeOffset.UtcNow;
        foreach (var task in new long[] { 7, 8, 9 })
        {
            FlockApi.AddTask(SimulatedTask.Open(task, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
            await Evm.CreateTaskAsync(task);
        }

        await Evm.MintAsync(ValidatorStaker.Address, 100_000 * EvmSandbox.OneToken);
        foreach (var task in new long[] { 7, 8, 9 }) await Evm.StakeAsValidatorAsync(ValidatorStaker, task, 3000 * EvmSandbox.OneToken);
    }

    protected override async Task StopExtrasAsync() => await Cluster.DisposeAsync();

    private sealed class LogSink(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
