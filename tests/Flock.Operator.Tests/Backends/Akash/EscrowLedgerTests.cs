using CsCheck;
using Flock.Operator.Backends.Akash;

namespace Flock.Operator.Tests.Backends.Akash;

/// <summary>The escrow arithmetic users rely on: runway, lazily settled balances, top-ups that stay under the cap.</summary>
public sealed class EscrowLedgerTests
{
    [Fact]
    public void Blocks_since_the_last_settlement_are_owed_at_the_lease_price()
    {
        var escrow = new EscrowSnapshot("uact", Funds: 1_000_000, Transferred: 50_000, SettledAt: 100);

        var position = EscrowLedger.Position(escrow, pricePerBlock: 250, height: 140);

        Assert.Equal(990_000, position.Balance);
        Assert.Equal(60_000, position.Spent);
        Assert.Equal(3_960, position.Runway);
    }

    [Fact]
    public void An_overdue_account_is_empty_not_negative()
    {
        var position = EscrowLedger.Position(new EscrowSnapshot("uact", 1_000, 0, 10), 100, 1_000);

        Assert.Equal(0, position.Balance);
        Assert.Equal(1_000, position.Spent);
        Assert.Equal(0, position.Runway);
    }

    [Fact]
    public void Status_shows_a_falling_balance_every_refresh_blocks_and_any_rise_or_change_at_once()
    {
        var escrow = new EscrowSnapshot("uact", Funds: 1_000_000, Transferred: 0, SettledAt: 0);
        var shownAt = EscrowLedger.Position(escrow, 100, height: 1_000); // runway 9,000
        var shown = (Balance: EscrowLedger.Format(shownAt.Balance, "uact"), shownAt.Runway);
        bool Refreshes(EscrowPosition now) => EscrowLedger.Refreshes(shown.Balance, shown.Runway, now, refreshBlocks: 100);

        Assert.False(Refreshes(EscrowLedger.Position(escrow, 100, 1_099)), "99 blocks later: keep what is shown");
        Assert.True(Refreshes(EscrowLedger.Position(escrow, 100, 1_100)), "100 blocks later: show the new balance");
        Assert.True(Refreshes(EscrowLedger.Position(escrow with { Funds = 1_500_000 }, 100, 1_001)), "a deposit shows at once");
        Assert.True(Refreshes(EscrowLedger.Position(escrow, 50, 1_001)), "a cheaper lease (a longer runway) shows at once");
        Assert.True(Refreshes(EscrowLedger.Position(escrow, 0, 1_001)), "the lease ended: no runway");
        Assert.True(Refreshes(EscrowLedger.Position(escrow with { Denom = "uakt" }, 100, 1_001)));
        Assert.True(EscrowLedger.Refreshes(null, null, shownAt, 100), "nothing shown yet");
        // Without a lease the balance only moves by deposits, and every move shows.
        var idle = EscrowLedger.Position(escrow, 0, 1_000);
        Assert.False(EscrowLedger.Refreshes(EscrowLedger.Format(idle.Balance, "uact"), null, idle, 100));
        Assert.True(EscrowLedger.Refreshes(EscrowLedger.Format(idle.Balance, "uact"), null, EscrowLedger.Position(escrow with { Funds = 1_000_001 }, 0, 1_000), 100));
    }

    [Fact]
    public void Without_a_lease_there_is_no_runway_and_no_top_up()
    {
        var position = EscrowLedger.Position(new EscrowSnapshot("uact", 5_000_000, 0, 10), 0, 20);

        Assert.Null(position.Runway);
        Assert.Equal(0, EscrowLedger.TopUp(position, 0, 1_000, null, 0));
    }

    [Fact]
    public void A_short_runway_is_topped_up_to_twice_the_threshold()
    {
        var position = EscrowLedger.Position(new EscrowSnapshot("uact", 400_000, 0, 10), 100, 10);

        var topUp = EscrowLedger.TopUp(position, 100, topUpBelow: 5_000, maxSpend: null, spentBefore: 0);

        Assert.Equal(600_000, topUp); // 10,000 blocks × 100 − 400,000 held
    }

    [Fact]
    public void The_cap_counts_earlier_deployments_and_stops_the_top_up()
    {
        var position = EscrowLedger.Position(new EscrowSnapshot("uact", 400_000, 1_000_000, 10), 100, 10);

        Assert.Equal(100_000, EscrowLedger.TopUp(position, 100, 5_000, maxSpend: 2_000_000, spentBefore: 500_000));
        Assert.Equal(0, EscrowLedger.TopUp(position, 100, 5_000, maxSpend: 1_900_000, spentBefore: 500_000));
        Assert.True(EscrowLedger.CapReached(position, 5_000, 1_900_000, 500_000));
        Assert.False(EscrowLedger.DepositFits(1_500_000, maxSpend: 1_900_000, spentBefore: 500_000));
    }

    [Fact]
    public void Top_ups_never_pass_the_cap_and_fill_the_runway_when_the_cap_allows()
    {
        var gen =
            from funds in Gen.Int[0, 10_000_000]
            from transferred in Gen.Int[0, 10_000_000]
            from price in Gen.Int[1, 5_000]
            from threshold in Gen.Long[1, 20_000]
            from capped in Gen.Bool
            from cap in Gen.Int[0, 50_000_000]
            from before in Gen.Int[0, 5_000_000]
            select (funds, transferred, price, threshold, cap: capped ? cap : (int?)null, before);

        gen.Sample(c =>
        {
            var position = EscrowLedger.Position(new EscrowSnapshot("uact", c.funds, c.transferred, 5), c.price, 5);
            var topUp = EscrowLedger.TopUp(position, c.price, c.threshold, c.cap, c.before);
            var committed = c.before + position.Spent + position.Balance;

            Assert.True(topUp >= 0);
            Assert.Equal(decimal.Truncate(topUp), topUp);
            if (position.Runway >= c.threshold) Assert.Equal(0, topUp);
            if (c.cap is { } cap && topUp > 0) Assert.True(committed + topUp <= cap, $"{committed} + {topUp} > {cap}");
            if (position.Runway < c.threshold && (c.cap is null || committed + 2 * c.threshold * c.price <= c.cap))
            {
                Assert.True((position.Balance + topUp) / c.price >= 2 * c.threshold, "runway refilled to twice the threshold");
            }
        });
    }

    [Theory]
    [InlineData("12.5uact", 12.5, "uact")]
    [InlineData("5000000uakt", 5000000, "uakt")]
    public void Amounts_round_trip_through_their_status_form(string text, decimal amount, string denom)
    {
        Assert.Equal((amount, denom), EscrowLedger.Parse(text));
        Assert.Equal(text, EscrowLedger.Format(amount, denom));
    }

    [Theory]
    [InlineData("")]
    [InlineData("uact")]
    [InlineData("12.5")]
    [InlineData("1.2.3uact")]
    public void Malformed_amounts_are_not_read(string text) => Assert.Null(EscrowLedger.Parse(text));
}
