using Flock.Operator.Tests.Integration;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using Flock.Sandbox.Evm;
using Flock.Sandbox.FlockApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Operator.Tests.Resilience;

using Sandbox = Flock.Operator.Tests.Integration.Sandbox;

/// <summary>
/// Everything the operator talks to, for the crash-point and fault suites: the API server with a simulated cluster of
/// four 8-GPU nodes, the FLock API (training task 12, validator tasks 7 and 8), the EVM behind a fault-injecting RPC
/// proxy (<see cref="EvmProxy"/>), and the Akash chain with 100 ms blocks. Every kube write and chain broadcast passes
/// through <see cref="Taps"/>, where runs that share the sandbox subscribe to their own.
/// </summary>
public sealed class ResilienceSandbox : Sandbox
{
    public SimulatedCluster Cluster { get; private set; } = null!;

    public AkashChainSimulator Chain { get; private set; } = null!;

    public EvmRpcProxy EvmProxy { get; private set; } = null!;

    public SandboxTaps Taps { get; } = new();

    public SandboxAccount ValidatorStaker => Evm.Accounts[8];

    /// <summary>Validator tasks the <see cref="ValidatorStaker"/> has staked on.</summary>
    public static readonly long[] ValidatorTasks = [7, 8];

    /// <summary>The arguments every operator started here gets (on top of the harness's own): the chain, fast polls, the RPC proxy.</summary>
    public string[] OperatorArgs =>
    [
        $"--Akash:GrpcUrl={Chain.GrpcUrl}", $"--Akash:ChainId={Chain.ChainId}", "--Akash:PollSeconds=0.5", "--Akash:TxPollSeconds=0.1",
        "--Akash:BidWindowBlocks=2", $"--Staking:RpcUrl={EvmProxy.RpcUrl}",
    ];

    protected override async Task StartExtrasAsync()
    {
        Server.Faults.WriteHook = Taps.OnWriteAsync;
        var nodes = Enumerable.Range(0, 4).Select(i => new NodeSpec($"gpu-{i}", "a3-highgpu-8g", "208", "1872Gi", 8, "NVIDIA-H100-80GB-HBM3", 81559)).ToList();
        Cluster = await SimulatedCluster.StartAsync(Client(), new ClusterOptions { Nodes = nodes, SchedulerRetryInterval = TimeSpan.FromMilliseconds(500) },
            NullLoggerFactory.Instance, new PodLogs(Server.Logs));
        Chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(100) });
        Chain.Faults.SignedBroadcastHook = Taps.OnBroadcastAsync;
        EvmProxy = await EvmRpcProxy.StartAsync(Evm.RpcUrl);
        var now = DateTimeOffset.UtcNow;
        await Evm.MintAsync(ValidatorStaker.Address, 100_000 * EvmSandbox.OneToken);
        foreach (var task in ValidatorTasks)
        {
            FlockApi.AddTask(SimulatedTask.Open(task, now, TimeSpan.FromDays(1), TimeSpan.FromDays(1)));
            await Evm.CreateTaskAsync(task);
            await Evm.StakeAsValidatorAsync(ValidatorStaker, task, 3000 * EvmSandbox.OneToken);
        }

        await InstallCrdsAsync();
    }

    protected override async Task StopExtrasAsync()
    {
        await EvmProxy.DisposeAsync();
        await Chain.DisposeAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class PodLogs(LogStore logs) : IPodLogSink
    {
        public void Append(string ns, string pod, string container, string line, DateTimeOffset at) => logs.Append(ns, pod, container, line, at);
    }
}
