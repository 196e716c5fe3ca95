using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;

namespace Flock.Operator.Backends.Akash;

/// <summary>
/// When an order is given up and what status says about it. Providers bid once, when the order is created
/// (akash-network/provider bidengine/service.go), and close their bid after 5 minutes (order.go, flags.go
/// --bid-timeout); the chain never expires the order (node x/market EndBlock does nothing). So an order without an
/// eligible bid after a short wait will not get one, while its deployment keeps the deposit locked. The operator then
/// closes the deployment (the escrow comes back) and, after a backoff that doubles per try, opens a new one: a new
/// order every provider bids on afresh. Pure: the backend does the chain work, in two passes (decide, then close) so
/// that a crash between them neither loses the decision nor closes twice.
/// </summary>
public static class Reordering
{
    /// <summary>The deployment was given up in this or an earlier pass and is being closed.</summary>
    public const string GivingUp = "giving-up";

    /// <summary>No deployment is open; the next one opens at nextOrderAt.</summary>
    public const string Backoff = "backoff";

    private const int MaxReason = 1024;

    /// <summary>Starts the wait for <paramref name="order"/> (dseq/gseq/oseq) if it is not the one already awaited.</summary>
    public static AkashStatus Await(AkashStatus status, string order, DateTimeOffset now) =>
        status.AwaitedOrder == order && status.AwaitedSince is not null ? status : status with { AwaitedOrder = order, AwaitedSince = now };

    /// <summary>True once the awaited order has had its time without an eligible bid (never while the bid window is open).</summary>
    public static bool IsDue(AkashStatus status, LeaseAttempt attempt, DateTimeOffset now, AkashOptions options) =>
        !attempt.Leased && !attempt.WindowOpen && status.AwaitedSince is { } since && now - since >= OrderTimeout(options);

    /// <summary>The decision, recorded before anything is closed: one more try, when the next order opens, and why.</summary>
    public static AkashStatus Decide(AkashStatus status, string owner, LeaseAttempt attempt, DateTimeOffset now, AkashOptions options)
    {
        var tries = (status.Reorders ?? 0) + 1;
        var seconds = OrderTimeout(options).TotalSeconds;
        var order = $"{owner}/{status.AwaitedOrder}";
        var closed = attempt.ClosedBids == 0 ? string.Empty : $"{attempt.ClosedBids} bid(s) closed by their providers (bid timeout)";
        var why = (attempt.BidsSeen, attempt.ClosedBids) switch
        {
            (0, 0) => $"no provider bid on order {order} within {seconds:0.#} s",
            (0, _) => $"order {order} got no eligible bid within {seconds:0.#} s: {closed}",
            _ => $"order {order} got no eligible bid within {seconds:0.#} s: {attempt.Problem?.Message}" + (closed.Length > 0 ? $"; {closed}" : string.Empty),
        };
        return status with
        {
            LeaseState = GivingUp,
            Reorders = tries,
            NextOrderAt = now + BackoffFor(tries, options),
            ReorderReason = Bound(why),
            BestPriceSeen = attempt.BestPriceSeen,
        };
    }

    /// <summary>After the close: the deployment is gone (settled), the wait for the next order begins.</summary>
    public static AkashStatus Closed(AkashStatus settled) => settled with { LeaseState = Backoff, AwaitedOrder = null, AwaitedSince = null };

    /// <summary>A lease ends the streak: nothing of the given-up orders stays in status.</summary>
    public static AkashStatus Leased(AkashStatus status) => status with
    {
        AwaitedOrder = null, AwaitedSince = null, Reorders = null, NextOrderAt = null, ReorderReason = null, BestPriceSeen = null,
    };

    /// <summary>A stopped worker starts afresh when it runs again: no backoff carried over.</summary>
    public static AkashStatus Forgotten(AkashStatus status) => Leased(status);

    /// <summary>A changed spec (a higher maxPrice, other providers) deserves a new order now, not after the backoff.</summary>
    public static AkashStatus SpecChanged(AkashStatus status) => status with { NextOrderAt = null };

    /// <summary>True while the backoff after a given-up order runs.</summary>
    public static bool Waiting(AkashStatus status, DateTimeOffset now) => status.Dseq is null && status.NextOrderAt is { } next && next > now;

    /// <summary>The condition while an order is given up, closed, or waited out: why, how many tries, when the next one opens.</summary>
    public static WorkloadProblem Problem(AkashStatus status, string stage) => new WorkloadProblem("NoEligibleBid",
        $"{status.ReorderReason}; {stage}; {status.Reorders ?? 0} order(s) given up in a row"
        + (status.BestPriceSeen is { } best ? $", best price seen {best}/block" : string.Empty)
        + (status.NextOrderAt is { } next ? $"; the next deployment opens at {next:u}" : string.Empty),
        Fatal: false);

    /// <summary>How long after the previous give-up the next order opens: the base, doubled per further try, capped.</summary>
    public static TimeSpan BackoffFor(int tries, AkashOptions options)
    {
        var seconds = Math.Max(0, options.ReorderBackoffSeconds) * Math.Pow(2, Math.Clamp(tries - 1, 0, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, Math.Max(0, options.ReorderBackoffMaxSeconds)));
    }

    private static TimeSpan OrderTimeout(AkashOptions options) => TimeSpan.FromSeconds(Math.Max(0, options.OrderTimeoutSeconds));

    private static string Bound(string text) => text.Length <= MaxReason ? text : text[..(MaxReason - 1)] + "…";
}
