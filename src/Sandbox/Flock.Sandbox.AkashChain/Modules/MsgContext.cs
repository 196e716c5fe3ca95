using Flock.Sandbox.AkashChain.State;

namespace Flock.Sandbox.AkashChain.Modules;

/// <summary>What a message handler sees: the (scratch) state it may change and the chain's parameters.</summary>
internal sealed record MsgContext(ChainState State, AkashChainOptions Options)
{
    public long Height => State.Height;
}
