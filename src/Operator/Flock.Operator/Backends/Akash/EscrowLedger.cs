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

/// <summary>
/// The money side of an Akash worker, pure so it unit-tests without a chain: the escrow position at a
/// height, the top-up that keeps the runway above the user's threshold without passing the spending cap,
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
    /// How much to deposit now: nothing while the runway is at or above <paramref name="topUpBelow"/> blocks;
    /// otherwise enough for twice that runway (so top-ups are occasional), never taking the resource's cost
    /// (paid so far plus held in escrow) past <paramref name="maxSpend"/>. Whole units only: the chain takes Coins.
    /// </summary>
    /// <param name="spentBefore">Paid by the resource's earlier, closed deployments.</param>
    public static decimal TopUp(EscrowPosition position, decimal pricePerBlock, long? topUpBelow, decimal? maxSpend, decimal spentBefore)
    {
        if (topUpBelow is not { } threshold || pricePerBlock <= 0 || position.Runway is not { } runway || runway >= threshold) return 0;
        var wanted = decimal.Ceiling(2 * threshold * pricePerBlock - position.Balance);
        if (maxSpend is { } cap)
        {
            var committed = spentBefore + position.Spent + position.Balance;
            wanted = Math.Min(wanted, decimal.Floor(cap - committed));
        }

        return Math.Max(0, wanted);
    }

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
