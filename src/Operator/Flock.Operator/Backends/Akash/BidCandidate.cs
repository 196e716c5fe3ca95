namespace Flock.Operator.Backends.Akash;

/// <summary>An open bid on the worker's order, with what the chain says about its provider.</summary>
/// <param name="Provider">Bech32 address of the bidding provider.</param>
/// <param name="Bseq">Bid sequence (part of the lease id on mainnet).</param>
/// <param name="Denom">Price denom (uact on mainnet).</param>
/// <param name="Price">Price per block in the denom's smallest unit (DecCoin precision).</param>
/// <param name="CreatedAt">Block height of the bid.</param>
/// <param name="Attributes">The provider's on-chain attributes (region, capabilities/gpu/…).</param>
/// <param name="Auditors">Auditors that signed the provider's attributes.</param>
public sealed record BidCandidate(
    string Provider,
    uint Bseq,
    string Denom,
    decimal Price,
    long CreatedAt,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlySet<string> Auditors);

/// <summary>What a bid must meet, from placement.akash and resources.gpu.</summary>
public sealed record BidRequirements
{
    public required string Denom { get; init; }

    /// <summary>Highest price per block accepted (inclusive).</summary>
    public required decimal MaxPrice { get; init; }

    public IReadOnlySet<string> Allow { get; init; } = new HashSet<string>();
    public IReadOnlySet<string> Deny { get; init; } = new HashSet<string>();
    public IReadOnlyCollection<string> SignedByAllOf { get; init; } = [];
    public IReadOnlyCollection<string> SignedByAnyOf { get; init; } = [];

    /// <summary>Provider attributes that must be present with these values (region, tier, …).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Acceptable GPU models (lower case, Akash names); empty accepts any.</summary>
    public IReadOnlyCollection<string> GpuModels { get; init; } = [];

    /// <summary>Minimum memory per GPU in bytes, checked against the provider's advertised model memory.</summary>
    public long? GpuMinMemoryBytes { get; init; }

    /// <summary>Providers avoided for now (they failed a lease recently).</summary>
    public IReadOnlySet<string> Avoid { get; init; } = new HashSet<string>();
}
