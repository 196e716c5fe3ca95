using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Microsoft.Extensions.Logging;
using Attribute = Flock.Akash.Protos.BaseAttributesV1.Attribute;

namespace Flock.Sandbox.AkashProvider;

/// <summary>What the parts of one simulated provider share: identity, chain access, state, switches and counters.</summary>
internal sealed class ProviderContext(
    SimulatedProviderOptions options,
    Wallet wallet,
    AkashChainClient chain,
    TxSubmitter submitter,
    IReadOnlyList<Attribute> attributes,
    TimeProvider time,
    ILogger logger)
{
    public SimulatedProviderOptions Options { get; } = options;

    public Wallet Wallet { get; } = wallet;

    public string Address => Wallet.Address;

    public AkashChainClient Chain { get; } = chain;

    public TxSubmitter Submitter { get; } = submitter;

    /// <summary>The provider's on-chain attributes (options + GPU capabilities).</summary>
    public IReadOnlyList<Attribute> Attributes { get; } = attributes;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public ProviderFaults Faults { get; } = new();

    public ProviderCounters Counters { get; } = new();

    public Inventory Inventory { get; } = new(options.Inventory);

    public LeaseBook Leases { get; } = new();

    private int _bidEngineOrders;

    /// <summary>Orders the bid engine is working on (its bids waiting for the owner), as /status reports them.</summary>
    public int BidEngineOrders
    {
        get => Volatile.Read(ref _bidEngineOrders);
        set => Volatile.Write(ref _bidEngineOrders, value);
    }

    /// <summary>Why the last client certificate was refused at the TLS handshake (for tests and logs).</summary>
    public string? LastTlsRejection { get; set; }

    /// <summary>Why the last bearer token was refused (the rule, never the token), for tests and logs.</summary>
    public string? LastJwtRejection { get; set; }
}
