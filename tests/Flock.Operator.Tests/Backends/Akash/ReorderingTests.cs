using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.Akash;

namespace Flock.Operator.Tests.Backends.Akash;

/// <summary>When an order without an eligible bid is given up, and how long the worker waits before ordering again.</summary>
public sealed class ReorderingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly AkashOptions Options = new() { OrderTimeoutSeconds = 60, ReorderBackoffSeconds = 60, ReorderBackoffMaxSeconds = 1800 };

    private static LeaseAttempt NoBids => new(false, 0, null);

    [Fact]
    public void An_order_is_given_up_only_after_the_timeout_from_when_it_was_first_seen()
    {
        var status = Reordering.Await(new AkashStatus(), "41/1/1", T0);

        Assert.False(Reordering.IsDue(status, NoBids, T0.AddSeconds(59), Options));
        Assert.True(Reordering.IsDue(status, NoBids, T0.AddSeconds(60), Options));
        // Seeing the same order again does not restart its clock; a new order (oseq 2 after a lost lease) does.
        Assert.Equal(T0, Reordering.Await(status, "41/1/1", T0.AddSeconds(30)).AwaitedSince);
        Assert.Equal(T0.AddSeconds(30), Reordering.Await(status, "41/1/2", T0.AddSeconds(30)).AwaitedSince);
    }

    [Fact]
    public void An_open_bid_window_or_a_lease_keeps_the_order()
    {
        var status = Reordering.Await(new AkashStatus(), "41/1/1", T0);
        var late = T0.AddHours(1);

        Assert.False(Reordering.IsDue(status, NoBids with { WindowOpen = true }, late, Options));
        Assert.False(Reordering.IsDue(status, new LeaseAttempt(true, 1, null), late, Options));
    }

    [Fact]
    public void The_backoff_doubles_per_try_up_to_the_maximum()
    {
        Assert.Equal(
            [60, 120, 240, 480, 960, 1800, 1800],
            Enumerable.Range(1, 7).Select(tries => Reordering.BackoffFor(tries, Options).TotalSeconds));
    }

    [Fact]
    public void The_decision_counts_the_try_says_why_and_when_the_next_order_opens()
    {
        var status = Reordering.Await(new AkashStatus { Reorders = 2 }, "41/1/1", T0);
        var attempt = new LeaseAttempt(false, 2, new Flock.Operator.Backends.InCluster.WorkloadProblem("NoBidWithinPrice", "none of 2 bids qualifies (2 from denied providers)", false))
        {
            BestPriceSeen = "250uact",
        };

        var decided = Reordering.Decide(status, "akash1owner", attempt, T0.AddSeconds(60), Options);

        Assert.Equal(Reordering.GivingUp, decided.LeaseState);
        Assert.Equal(3, decided.Reorders);
        Assert.Equal(T0.AddSeconds(60 + 240), decided.NextOrderAt);
        Assert.Equal("250uact", decided.BestPriceSeen);
        Assert.Equal("order akash1owner/41/1/1 got no eligible bid within 60 s: none of 2 bids qualifies (2 from denied providers)", decided.ReorderReason);
        Assert.Null(Reordering.Leased(decided).Reorders);
        Assert.Null(Reordering.Leased(decided).NextOrderAt);
    }
}
