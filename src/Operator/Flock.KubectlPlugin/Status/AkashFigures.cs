using System.Globalization;
using System.Text.RegularExpressions;
using Flock.Crds.V1Alpha1;

namespace Flock.KubectlPlugin.Status;

/// <summary>An amount with its denom as status writes it: "12.5uact".</summary>
public sealed record DenomAmount(decimal Amount, string Denom)
{
    public override string ToString() => Amount.ToString("0.####", CultureInfo.InvariantCulture) + Denom;
}

/// <summary>
/// The lease figures the status table shows, from status.akash: price per hour and time until the escrow
/// drains. Status gives them when the operator wrote them; otherwise they follow from the price per block
/// and the escrow balance.
/// </summary>
public static partial class AkashFigures
{
    /// <summary>
    /// Average Akash block time in seconds (the Akash Console's averageBlockTime = 6.174; see
    /// /work/shared/research/akash.md, "Block time"). Prices and escrow runways are counted in blocks.
    /// </summary>
    public const double SecondsPerBlock = 6.174;

    public static DenomAmount? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = AmountWithDenom().Match(text.Trim());
        return m.Success && decimal.TryParse(m.Groups["amount"].Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            ? new DenomAmount(amount, m.Groups["denom"].Value)
            : null;
    }

    /// <summary>status.akash.pricePerHour, else the price per block times the blocks in an hour.</summary>
    public static string? PricePerHour(AkashStatus? akash)
    {
        if (!string.IsNullOrEmpty(akash?.PricePerHour)) return akash.PricePerHour;
        return Parse(akash?.Price) is { } perBlock
            ? new DenomAmount(decimal.Round(perBlock.Amount * (decimal)(3600 / SecondsPerBlock), 2), perBlock.Denom).ToString()
            : null;
    }

    /// <summary>
    /// An amount for people: micro-denominations in whole units ("1807580.17uact" → "1.81 ACT"), at least two significant
    /// decimals for small amounts; anything else as it is.
    /// </summary>
    public static string? Display(string? text)
    {
        if (Parse(text) is not { } amount) return text;
        if (amount.Denom is not ("uact" or "uakt")) return amount.ToString();
        var whole = amount.Amount / 1_000_000m;
        var format = whole >= 0.01m || whole == 0 ? "0.##" : "0.######";
        return whole.ToString(format, CultureInfo.InvariantCulture) + " " + amount.Denom[1..].ToUpperInvariant();
    }

    /// <summary>How long until the escrow runs dry: status.akash.runway (blocks), else the balance over the price per block.</summary>
    public static TimeSpan? TimeToDrain(AkashStatus? akash)
    {
        if (akash?.Runway is { } blocks) return TimeSpan.FromSeconds(blocks * SecondsPerBlock);
        if (Parse(akash?.EscrowBalance) is { } balance && Parse(akash?.Price) is { Amount: > 0 } price && balance.Denom == price.Denom)
        {
            return TimeSpan.FromSeconds((double)(balance.Amount / price.Amount) * SecondsPerBlock);
        }

        return null;
    }

    /// <summary>Two units at most, like kubectl's ages: 45s, 12m, 5h10m, 3d4h.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span <= TimeSpan.Zero) return "0s";
        if (span < TimeSpan.FromMinutes(1)) return $"{(int)span.TotalSeconds}s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes}m";
        if (span < TimeSpan.FromDays(1)) return span.Minutes == 0 ? $"{(int)span.TotalHours}h" : $"{(int)span.TotalHours}h{span.Minutes}m";
        return span.Hours == 0 ? $"{(int)span.TotalDays}d" : $"{(int)span.TotalDays}d{span.Hours}h";
    }

    [GeneratedRegex(@"^(?<amount>[0-9]+(?:\.[0-9]+)?)\s*(?<denom>[a-zA-Z][a-zA-Z0-9/]*)$")]
    private static partial Regex AmountWithDenom();
}
