using System.Text;
using Flock.Akash.Protos.MarketV1Beta5;

namespace Flock.Sandbox.AkashProvider;

/// <summary>GPUs of one model a provider has (each becomes capabilities/gpu/vendor/nvidia/model/… attributes).</summary>
/// <param name="Model">Lower-case model, e.g. "h100", "rtx4090".</param>
/// <param name="Count">How many.</param>
/// <param name="Ram">Memory per GPU as the SDL writes it ("80Gi").</param>
/// <param name="Interface">"pcie" or "sxm".</param>
public sealed record GpuInventory(string Model, int Count, string Ram = "80Gi", string Interface = "pcie");

/// <summary>What a provider can lease out in total; reservations and leases take from it.</summary>
/// <param name="CpuMillis">CPU in millicores.</param>
/// <param name="MemoryBytes">Memory in bytes.</param>
/// <param name="StorageBytes">Ephemeral + persistent storage in bytes.</param>
/// <param name="Gpus">GPUs by model.</param>
public sealed record ProviderInventory(long CpuMillis, long MemoryBytes, long StorageBytes, IReadOnlyList<GpuInventory> Gpus)
{
    private const long Gi = 1L << 30;

    /// <summary>A mid-size GPU node: 64 cores, 512Gi, 4Ti, 8 × H100 80Gi SXM.</summary>
    public static ProviderInventory Default { get; } = new(64_000, 512 * Gi, 4096 * Gi, [new GpuInventory("h100", 8, "80Gi", "sxm")]);

    /// <summary>The same node with other GPUs.</summary>
    public static ProviderInventory WithGpus(params GpuInventory[] gpus) => Default with { Gpus = gpus };
}

/// <summary>How a provider prices its bid; the price is per block in the order's denom. No price (null) means no bid.</summary>
public abstract record BidPricing
{
    private protected BidPricing()
    {
    }

    /// <summary>Always this much per block (a bid above the order's maximum is not placed, as on a real provider).</summary>
    public static BidPricing Fixed(decimal perBlock) => new FixedPricing(perBlock);

    /// <summary>This fraction of the order's maximum price (0 &lt; fraction ≤ 1).</summary>
    public static BidPricing FractionOfMax(decimal fraction) => fraction is > 0 and <= 1
        ? new FractionPricing(fraction)
        : throw new ArgumentOutOfRangeException(nameof(fraction), "The fraction must be in (0, 1].");

    /// <summary>A callback given the order and its maximum price; null declines.</summary>
    public static BidPricing Custom(Func<Order, decimal, decimal?> price) => new CustomPricing(price ?? throw new ArgumentNullException(nameof(price)));

    internal abstract decimal? PriceFor(Order order, decimal maxPrice);

    private sealed record FixedPricing(decimal PerBlock) : BidPricing
    {
        internal override decimal? PriceFor(Order order, decimal maxPrice) => PerBlock;
    }

    private sealed record FractionPricing(decimal Fraction) : BidPricing
    {
        internal override decimal? PriceFor(Order order, decimal maxPrice) => decimal.Round(maxPrice * Fraction, 6);
    }

    private sealed record CustomPricing(Func<Order, decimal, decimal?> Price) : BidPricing
    {
        internal override decimal? PriceFor(Order order, decimal maxPrice) => Price(order, maxPrice);
    }
}

/// <summary>One simulated provider. Defaults follow provider-services (5 min bid and manifest timeouts).</summary>
public sealed record SimulatedProviderOptions
{
    /// <summary>Names the provider and seeds its wallet (the same name gives the same address every run).</summary>
    public required string Name { get; init; }

    /// <summary>Placement attributes registered on chain (capabilities/gpu/… ones are added from the inventory).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string> { ["host"] = "akash", ["region"] = "us-west" };

    /// <summary>Auditors that sign all of the provider's attributes (for placements with signedBy).</summary>
    public IReadOnlyList<string> AuditedBy { get; init; } = [];

    public ProviderInventory Inventory { get; init; } = ProviderInventory.Default;

    public BidPricing Pricing { get; init; } = BidPricing.FractionOfMax(0.5m);

    /// <summary>An open bid without a lease is closed after this (provider-services --bid-timeout, default 5 min).</summary>
    public TimeSpan BidTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A lease without a manifest is closed after this (--manifest-timeout, default 5 min; reason 10003).</summary>
    public TimeSpan ManifestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time from an accepted manifest to ready replicas (image pull, start).</summary>
    public TimeSpan StartDelay { get; init; } = TimeSpan.Zero;

    /// <summary>uakt credited at start: fees and bid deposits (0.5 AKT each).</summary>
    public ulong FundingUakt { get; init; } = 100_000_000;

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Name = ").Append(Name);
        return true;
    }
}
