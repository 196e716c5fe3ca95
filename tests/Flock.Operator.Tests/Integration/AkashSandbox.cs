using Flock.Sandbox.AkashChain;

namespace Flock.Operator.Tests.Integration;

/// <summary>The sandbox plus the Akash chain simulator, producing a block every 100 ms.</summary>
public sealed class AkashSandbox : Sandbox
{
    public AkashChainSimulator Chain { get; private set; } = null!;

    /// <summary>The arguments that point the operator at the chain.</summary>
    public string[] OperatorArgs => [$"--Akash:GrpcUrl={Chain.GrpcUrl}", $"--Akash:ChainId={Chain.ChainId}", "--Akash:PollSeconds=1", "--Akash:TxPollSeconds=0.1"];

    protected override async Task StartExtrasAsync() =>
        Chain = await AkashChainSimulator.StartAsync(new AkashChainOptions { BlockInterval = TimeSpan.FromMilliseconds(100) });

    protected override async Task StopExtrasAsync() => await Chain.DisposeAsync();
}
