using System.Globalization;
using System.Text.RegularExpressions;

namespace Flock.Operator.Backends.Akash;

/// <summary>Why a bid was passed over.</summary>
public enum BidRejection
{
    WrongDenom,
    AbovePrice,
    Denied,
    NotAllowed,
    Avoided,
    MissingAuditor,
    MissingAttribute,
    GpuModel,
    GpuMemory,

    /// <summary>The bid itself is broken (a negative price, no provider): no honest node returns it.</summary>
    Malformed,
}

/// <summary>The choice among the bids, or why there is none.</summary>
/// <param name="Chosen">The bid to lease; null when none qualifies or the window is still open.</param>
/// <param name="WindowOpen">True while bids are still being collected.</param>
/// <param name="BestPriceSeen">The lowest price among all bids in the required denom, qualifying or not.</param>
/// <param name="Rejections">Passed-over bids by reason (a bid counts once, for its first failing rule).</param>
public sealed record BidSelection(BidCandidate? Chosen, bool WindowOpen, decimal? BestPriceSeen, IReadOnlyDictionary<BidRejection, int> Rejections)
{
    /// <summary>
    /// Every bid that meets the rules, best first (the order <see cref="Chosen"/> heads): when the chosen provider turns
    /// out not to answer, the next one here is leased instead. Empty while the window is open.
    /// </summary>
    public IReadOnlyList<BidCandidate> Ranked { get; init; } = [];

    /// <summary>A message for the LeaseActive condition when nothing qualifies (reason NoBidWithinPrice).</summary>
    public string Explain(BidRequirements requirements, int bids) =>
        bids == 0
            ? "no provider has bid on the order yet"
            : $"none of {bids} bids qualifies (" + RejectionSummary()
              + ")" + (BestPriceSeen is { } best ? $"; the best price seen is {best.ToString(CultureInfo.InvariantCulture)}{requirements.Denom}/block against a maximum of {requirements.MaxPrice.ToString(CultureInfo.InvariantCulture)}{requirements.Denom}" : "");

    /// <summary>The passed-over bids counted by reason: "2 above maxPrice, 1 from denied providers".</summary>
    public string RejectionSummary() => string.Join(", ", Rejections.OrderBy(r => r.Key).Select(r => $"{r.Value} {Describe(r.Key)}"));

    private static string Describe(BidRejection reason) => reason switch
    {
        BidRejection.WrongDenom => "in another denom",
        BidRejection.AbovePrice => "above maxPrice",
        BidRejection.Denied => "from denied providers",
        BidRejection.NotAllowed => "from providers not in providers.allow",
        BidRejection.Avoided => "from providers avoided after a failure (status.akash.avoidProviders)",
        BidRejection.MissingAuditor => "without the signedBy auditors",
        BidRejection.MissingAttribute => "without the required attributes",
        BidRejection.GpuModel => "without a wanted GPU model",
        BidRejection.GpuMemory => "with too little GPU memory",
        BidRejection.Malformed => "malformed (a negative price or no provider)",
        _ => reason.ToString(),
    };
}

/// <summary>
/// Picks the bid to lease: after the bid window, the cheapest bid that meets every rule of the
/// resource (denom, price cap, allow/deny, auditors, attributes, GPU model and memory, providers to
/// avoid). Ties go to the earliest bid, then to the provider address in ordinal order, so every
/// replica of the operator makes the same choice. Pure: no I/O, unit- and property-tested.
/// </summary>
public static partial class LeaseBidSelector
{
    private const string GpuModelPrefix = "capabilities/gpu/vendor/nvidia/model/";

    /// <param name="height">The chain's current height.</param>
    /// <param name="windowEndsAt">Height at which the bid window closes (order creation height + bidWindow).</param>
    public static BidSelection Select(IReadOnlyList<BidCandidate> bids, BidRequirements requirements, long height, long windowEndsAt)
    {
        var rejections = new Dictionary<BidRejection, int>();
        var eligible = new List<BidCandidate>();
        foreach (var bid in bids)
        {
            if (Reject(bid, requirements) is { } reason) rejections[reason] = rejections.GetValueOrDefault(reason) + 1;
            else eligible.Add(bid);
        }

        var best = bids.Where(b => b.Denom == requirements.Denom && Reject(b, requirements) != BidRejection.Malformed).Select(b => (decimal?)b.Price).Min();
        if (height < windowEndsAt) return new BidSelection(null, WindowOpen: true, best, rejections);
        var ranked = eligible
            .OrderBy(b => b.Price)
            .ThenBy(b => b.CreatedAt)
            .ThenBy(b => b.Provider, StringComparer.Ordinal)
            .ThenBy(b => b.Bseq)
            .ToList();
        return new BidSelection(ranked.FirstOrDefault(), WindowOpen: false, best, rejections) { Ranked = ranked };
    }

    /// <summary>The first rule a bid breaks, or null when it qualifies.</summary>
    public static BidRejection? Reject(BidCandidate bid, BidRequirements r)
    {
        if (bid.Price < 0 || string.IsNullOrWhiteSpace(bid.Provider)) return BidRejection.Malformed;
        if (bid.Denom != r.Denom) return BidRejection.WrongDenom;
        if (bid.Price > r.MaxPrice) return BidRejection.AbovePrice;
        if (r.Deny.Contains(bid.Provider)) return BidRejection.Denied;
        if (r.Allow.Count > 0 && !r.Allow.Contains(bid.Provider)) return BidRejection.NotAllowed;
        if (r.Avoid.Contains(bid.Provider)) return BidRejection.Avoided;
        if (!r.SignedByAllOf.All(bid.Auditors.Contains) || (r.SignedByAnyOf.Count > 0 && !r.SignedByAnyOf.Any(bid.Auditors.Contains)))
        {
            return BidRejection.MissingAuditor;
        }

        if (r.Attributes.Any(a => !bid.Attributes.TryGetValue(a.Key, out var value) || value != a.Value)) return BidRejection.MissingAttribute;
        var models = AdvertisedGpus(bid.Attributes);
        var wanted = r.GpuModels.Count == 0 ? models : models.Where(m => r.GpuModels.Contains(m.Model)).ToList();
        if (r.GpuModels.Count > 0 && wanted.Count == 0) return BidRejection.GpuModel;
        if (r.GpuMinMemoryBytes is { } min && !wanted.Any(m => m.MemoryBytes is { } bytes && bytes >= min)) return BidRejection.GpuMemory;
        return null;
    }

    /// <summary>
    /// GPU models a provider advertises: capabilities/gpu/vendor/nvidia/model/&lt;model&gt;[/ram/&lt;size&gt;][/interface/…] = true.
    /// </summary>
    public static IReadOnlyList<(string Model, long? MemoryBytes)> AdvertisedGpus(IReadOnlyDictionary<string, string> attributes) =>
        attributes.Where(a => a.Key.StartsWith(GpuModelPrefix, StringComparison.Ordinal) && a.Value == "true")
            .Select(a => GpuKey().Match(a.Key[GpuModelPrefix.Length..]))
            .Where(m => m.Success)
            .Select(m => (m.Groups["model"].Value, m.Groups["ram"].Success ? Bytes(m.Groups["ram"].Value) : (long?)null))
            .ToList();

    private static long? Bytes(string size)
    {
        // A size too large for 64 bits is as unknown as one that does not parse: the provider's memory cannot be compared.
        var m = SizePattern().Match(size);
        if (!m.Success || !long.TryParse(m.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
        var unit = m.Groups["unit"].Value switch
        {
            "Gi" => 1L << 30,
            "Mi" => 1L << 20,
            "G" => 1_000_000_000L,
            "M" => 1_000_000L,
            _ => 1L,
        };
        return value <= long.MaxValue / unit ? value * unit : null;
    }

    [GeneratedRegex("^(?<model>[a-z0-9-]+)(/ram/(?<ram>[0-9]+[A-Za-z]*))?(/interface/[a-z0-9]+)?$")]
    private static partial Regex GpuKey();

    [GeneratedRegex("^(?<n>[0-9]+)(?<unit>Gi|Mi|G|M)?$")]
    private static partial Regex SizePattern();
}
