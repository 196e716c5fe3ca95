using Flock.Operator.Backends.Akash;

namespace Flock.Reliability.Tests.Answers;

/// <summary>A malformed bid on the worker's order and the rule it must be passed over by (never chosen, never a crash).</summary>
public sealed record BidAnswer(string Name, BidCandidate Bid, BidRejection Rejection)
{
    public override string ToString() => Name;
}

/// <summary>
/// Bids as the market module lists them (provider, price DecCoin, provider attributes; GPU attributes
/// capabilities/gpu/vendor/nvidia/model/&lt;model&gt;[/ram/&lt;size&gt;] = true, see /work/shared/research/akash.md),
/// broken in the ways a misbehaving node or provider could break them.
/// </summary>
public static class BidAnswers
{
    public const string Provider = "akash1qqqsyqcyq5rqwzqfpg9scrgwpugpzysn7hzdtn";
    public const string GoodProvider = "akash1zqgpgzsyqyqsygqqqgqsyqqqqqqqqqqqsfz9l7";
    private const string H100 = "capabilities/gpu/vendor/nvidia/model/h100";

    /// <summary>What the worker asks: uact, at most 1000 per block, an H100 with at least 80Gi.</summary>
    public static BidRequirements Requirements { get; } = new()
    {
        Denom = "uact",
        MaxPrice = 1000m,
        GpuModels = ["h100"],
        GpuMinMemoryBytes = 80L << 30,
    };

    /// <summary>The bid that should win every time: fair price, the wanted GPU.</summary>
    public static BidCandidate Good { get; } = Bid(GoodProvider, 900m, new() { [H100 + "/ram/80Gi"] = "true" });

    public static BidCandidate Bid(string provider, decimal price, Dictionary<string, string> attributes, string denom = "uact") =>
        new(provider, 0, denom, price, 100, attributes, new HashSet<string>());

    private static Dictionary<string, string> Gpu(string key, string value = "true") => new() { [key] = value };

    public static IReadOnlyList<BidAnswer> All { get; } =
    [
        new("negative price", Bid(Provider, -1m, Gpu(H100 + "/ram/80Gi")), BidRejection.Malformed),
        new("no provider", Bid("", 10m, Gpu(H100 + "/ram/80Gi")), BidRejection.Malformed),
        new("denom in capitals", Bid(Provider, 10m, Gpu(H100 + "/ram/80Gi"), "UACT"), BidRejection.WrongDenom),
        new("empty denom", Bid(Provider, 10m, Gpu(H100 + "/ram/80Gi"), ""), BidRejection.WrongDenom),
        new("ibc denom", Bid(Provider, 10m, Gpu(H100 + "/ram/80Gi"), "ibc/170C677610AC31DF0904FFE09CD3B5C657492170E7E52372E48756B71E56F2F1"), BidRejection.WrongDenom),
        new("price of decimal.MaxValue", Bid(Provider, decimal.MaxValue, Gpu(H100 + "/ram/80Gi")), BidRejection.AbovePrice),
        new("GPU memory beyond 64 bits", Bid(Provider, 10m, Gpu(H100 + "/ram/99999999999999999999Gi")), BidRejection.GpuMemory),
        new("GPU memory overflowing when scaled", Bid(Provider, 10m, Gpu(H100 + "/ram/8589934592Gi")), BidRejection.GpuMemory),
        new("GPU memory in a unit nobody uses", Bid(Provider, 10m, Gpu(H100 + "/ram/1Ti")), BidRejection.GpuMemory),
        new("GPU advertised as TRUE", Bid(Provider, 10m, Gpu(H100 + "/ram/80Gi", "TRUE")), BidRejection.GpuModel),
        new("GPU key without a model", Bid(Provider, 10m, Gpu("capabilities/gpu/vendor/nvidia/model/")), BidRejection.GpuModel),
        new("GPU model with capitals", Bid(Provider, 10m, Gpu("capabilities/gpu/vendor/nvidia/model/H100/ram/80Gi")), BidRejection.GpuModel),
        new("no attributes at all", Bid(Provider, 10m, []), BidRejection.GpuModel),
    ];
}
