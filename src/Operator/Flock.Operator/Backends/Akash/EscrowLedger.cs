using System.Globalization;

namespace Flock.Operator.Backends.Akash;

/// <summary>A deployment's escrow account as the chain last settled it: amounts in the denom's smallest unit.</summary>
/// <param name="Funds">Funds left at the last settlement.</param>
/// <param name="Transferred">Paid to providers up to the last settlement.</param>
/// <param name="SettledAt">Height of the last settlement.</param>
public sealed record EscrowSnapshot(string Denom, decimal Funds, decimal Transferred, long SettledAt);

/// <summary>The escrow as of a height, with what it means for the worker.</summary>
/// <param name="Balance">Funds left now (the chain settles lazily, so blocks since the last settlement are taken off here).</param>
/// <param name="Spent">Paid to providers by this deployment so far, settled or not.</param>
/// <param name="Runway">Blocks until the escrow runs dry at the lease price; null while no lease pays from it.</param>
public sealed record EscrowPosition(string Denom, decimal Balance, decimal Spent, long? Runway);

/// <summary>When to top up and how far, in blocks of runway at the lease price.</summary>
/// <param name="Below">Top up once the runway is under this.</param>
/// <param name="RefillTo">Deposit enough for this runway (always above <paramref name="Below"/>, so a top-up is never zero).</param>
public sealed record TopUpRule(long Below, long RefillTo);

/// <summary>A top-up to make now, and whether the spending cap cut it short of the rule's target.</summary>
public sealed record TopUpDecision(decimal Amount, bool Capped);

/// <summary>
/// The money side of an Akash worker, pure so it unit-tests without a chain: the escrow position at a
/// height, the top-up that keeps the runway above the threshold (the resource's or the operator's) without passing the spending cap,
/// and amounts in the forms status shows. Akash settles an escrow account only on deposits, withdrawals
/// and closes; between them each block owes the lease price, which is taken off here.
/// </summary>
public static class EscrowLedger
{
    /// <summary>Mainnet's average block time (Akash Console uses 6.174 s); escrow prices are per block.</summary>
    public const double DefaultBlockSeconds = 6.174;

    public static EscrowPosition Position(EscrowSnapshot escrow, decimal pricePerBlock, long height)
    {
        var unsettledBlocks = Math.Max(0, height - escrow.SettledAt);
        var owed = Math.Min(escrow.Funds, pricePerBlock * unsettledBlocks);
        var balance = escrow.Funds - owed;
        long? runway = pricePerBlock > 0 ? (long)decimal.Floor(balance / pricePerBlock) : null;
        return new EscrowPosition(escrow.Denom, balance, escrow.Transferred + owed, runway);
    }

    /// <summary>
    /// Whether status should show this position or keep the one it shows. The balance falls every block, so showing
    /// each pass's figure would write status on every poll of every leased worker; status moves when the runway has
    /// fallen by <paramref name="refreshBlocks"/> since it was shown, and at once when the figures appear, disappear,
    /// grow (a deposit, a cheaper lease) or change denom. Decisions (top-ups, the spending cap) use the chain, not status.
    /// </summary>
    public static bool Refreshes(string? shownBalance, long? shownRunway, EscrowPosition position, long refreshBlocks)
    {
        if (Parse(shownBalance) is not { } shown || shown.Denom != position.Denom) return true;
        if (shownRunway is null || position.Runway is null) return shownRunway != position.Runway || shown.Amount != position.Balance;
        return position.Runway > shownRunway || shownRunway - position.Runway >= refreshBlocks;
    }

    /// <summary>
    /// The rule in force. The resource's topUpBelow keeps its meaning (refill to twice it unless refillTo says how
    /// far); without it the operator's defaults apply, in hours as Console sets them (top up under 24 h of runway,
    /// refill to 48 h: akash-network/console apps/api/src/deployment/config/env.config.ts). Null when nothing asks
    /// for top-ups (the operator's threshold is 0 and the resource sets no rule).
    /// </summary>
    public static TopUpRule? Rule(long? topUpBelow, long? refillTo, double defaultBelowHours, double defaultRefillHours, double blockSeconds)
    {
        if (topUpBelow is { } below) return new TopUpRule(below, Math.Max(refillTo ?? 2 * below, below + 1));
        var target = refillTo ?? Blocks(defaultRefillHours, blockSeconds);
        var threshold = defaultBelowHours > 0 ? Blocks(defaultBelowHours, blockSeconds) : refillTo is null ? 0 : target / 2;
        if (threshold <= 0 || target <= 1) return null;
        // Console refuses a target at or under its window (a deposit triggered at the edge would be zero); here the
        // threshold gives way instead, so a resource's refillTo under the operator's threshold still works.
        return threshold < target ? new TopUpRule(threshold, target) : new TopUpRule(target / 2, target);
    }

    /// <summary>Whole blocks in a number of hours at the average block time.</summary>
    public static long Blocks(double hours, double blockSeconds) =>
        hours > 0 && blockSeconds > 0 ? (long)Math.Floor(hours * 3600 / blockSeconds) : 0;

    /// <summary>
    /// How much to deposit now: nothing while the runway is at or above the rule's threshold; otherwise enough
    /// for the rule's target runway, never taking the resource's cost (paid so far plus held in escrow) past
    /// <paramref name="maxSpend"/> — what fits is deposited and the decision says it was capped. Whole units
    /// only: the chain takes Coins.
    /// </summary>
    /// <param name="spentBefore">Paid by the resource's earlier, closed deployments.</param>
    public static TopUpDecision Decide(EscrowPosition position, decimal pricePerBlock, TopUpRule? rule, decimal? maxSpend, decimal spentBefore)
    {
        if (rule is null || pricePerBlock <= 0 || position.Runway is not { } runway || runway >= rule.Below) return new TopUpDecision(0, false);
        var wanted = Math.Max(0, decimal.Ceiling(rule.RefillTo * pricePerBlock - position.Balance));
        if (maxSpend is not { } cap) return new TopUpDecision(wanted, false);
        var room = Math.Max(0, decimal.Floor(cap - (spentBefore + position.Spent + position.Balance)));
        return wanted > room ? new TopUpDecision(room, true) : new TopUpDecision(wanted, false);
    }

    /// <summary>The top-up under a resource's own threshold, refilling to twice it (the rule before operator defaults).</summary>
    public static decimal TopUp(EscrowPosition position, decimal pricePerBlock, long? topUpBelow, decimal? maxSpend, decimal spentBefore) =>
        Decide(position, pricePerBlock, topUpBelow is { } below ? new TopUpRule(below, 2 * below) : null, maxSpend, spentBefore).Amount;

    /// <summary>True when the cap leaves no room for another top-up while the runway is short.</summary>
    public static bool CapReached(EscrowPosition position, long? topUpBelow, decimal? maxSpend, decimal spentBefore) =>
        topUpBelow is { } threshold && maxSpend is { } cap && position.Runway is { } runway && runway < threshold
        && decimal.Floor(cap - (spentBefore + position.Spent + position.Balance)) <= 0;

    /// <summary>Whether a new deployment's deposit still fits under the cap.</summary>
    public static bool DepositFits(decimal deposit, decimal? maxSpend, decimal spentBefore) =>
        maxSpend is not { } cap || spentBefore + deposit <= cap;

    /// <summary>The cost of an hour at a price per block.</summary>
    public static decimal PerHour(decimal pricePerBlock, double blockSeconds) =>
        pricePerBlock * (decimal)(3600 / blockSeconds);

    /// <summary>"12.5uact": an amount with its denom, at most 6 decimals, no trailing zeros.</summary>
    public static string Format(decimal amount, string denom) =>
        decimal.Round(amount, 6, MidpointRounding.ToZero).ToString("0.######", CultureInfo.InvariantCulture) + denom;

    /// <summary>Parses "12.5uact" back into its amount and denom; null when it is not that shape.</summary>
    public static (decimal Amount, string Denom)? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        if (split == 0 || split == text.Length) return null;
        return decimal.TryParse(text.AsSpan(0, split), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? (amount, text[split..])
            : null;
    }
}
