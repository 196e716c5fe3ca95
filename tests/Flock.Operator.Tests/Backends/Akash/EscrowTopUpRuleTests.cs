using Flock.Operator.Backends.Akash;

namespace Flock.Operator.Tests.Backends.Akash;

/// <summary>
/// The top-up rule a resource gets (its own, or the operator's Console-like 24 h / 48 h default) and the deposit
/// it leads to at a runway, under a spending cap, in either denom.
/// </summary>
public sealed class EscrowTopUpRuleTests
{
    // 6 s blocks make the hours round: 24 h = 14,400 blocks, 48 h = 28,800.
    private const double Block = 6;

    [Theory]
    [InlineData(null, null, 24, 48, 14_400L, 28_800L)]        // nothing set: Console's window and target
    [InlineData(5_000L, null, 24, 48, 5_000L, 10_000L)]       // the resource's threshold keeps its meaning: refill to twice it
    [InlineData(5_000L, 8_000L, 24, 48, 5_000L, 8_000L)]      // and refillTo says how far
    [InlineData(null, 20_000L, 24, 48, 14_400L, 20_000L)]     // refillTo alone, above the operator's threshold
    [InlineData(null, 10_000L, 24, 48, 5_000L, 10_000L)]      // refillTo alone, under it: the threshold gives way
    [InlineData(null, 1_000L, 0, 48, 500L, 1_000L)]           // defaults off, the resource still asks for top-ups
    [InlineData(null, null, 48, 24, 7_200L, 14_400L)]         // a misordered operator setting never deposits zero
    [InlineData(null, null, 12, 36, 7_200L, 21_600L)]         // the operator's own hours
    public void The_rule_comes_from_the_resource_or_the_operators_hours(long? below, long? refillTo, double belowHours, double refillHours, long wantBelow, long wantRefill) =>
        Assert.Equal(new TopUpRule(wantBelow, wantRefill), EscrowLedger.Rule(below, refillTo, belowHours, refillHours, Block));

    [Fact]
    public void Default_top_ups_turned_off_leave_a_resource_without_a_rule() =>
        Assert.Null(EscrowLedger.Rule(null, null, 0, 48, Block));

    [Fact]
    public void Mainnet_block_time_turns_hours_into_blocks() =>
        Assert.Equal(new TopUpRule(13_994, 27_988), EscrowLedger.Rule(null, null, 24, 48, EscrowLedger.DefaultBlockSeconds));

    /// <summary>Price 100 a block, rule 5,000 / 10,000 blocks; Spent 300,000 paid so far by this deployment.</summary>
    [Theory]
    [InlineData("uact", 600_000, null, 0, 0, false)]                 // runway 6,000: above the threshold
    [InlineData("uact", 500_000, null, 0, 0, false)]                 // runway 5,000: at it
    [InlineData("uact", 400_000, null, 0, 600_000, false)]           // runway 4,000: refill to 10,000 blocks
    [InlineData("uakt", 400_000, null, 0, 600_000, false)]           // the denom does not change the arithmetic
    [InlineData("uact", 400_000, 1_300_000, 0, 600_000, false)]      // the cap fits the whole refill exactly
    [InlineData("uact", 400_000, 1_200_000, 0, 500_000, true)]       // what fits is deposited, and the cap is reported
    [InlineData("uakt", 400_000, 1_200_000, 200_000, 300_000, true)] // earlier deployments count against the cap
    [InlineData("uact", 400_000, 700_000, 0, 0, true)]               // nothing fits: cap reached
    [InlineData("uact", 600_000, 700_000, 0, 0, false)]              // a runway above the threshold is no cap problem
    public void A_short_runway_is_refilled_to_the_target_within_the_cap(string denom, int balance, int? cap, int before, int want, bool capped)
    {
        var position = new EscrowPosition(denom, balance, Spent: 300_000, Runway: balance / 100);

        var decision = EscrowLedger.Decide(position, 100, new TopUpRule(5_000, 10_000), cap, before);

        Assert.Equal(new TopUpDecision(want, capped), decision);
    }

    [Fact]
    public void A_fractional_price_deposits_whole_units_enough_for_the_target()
    {
        var position = EscrowLedger.Position(new EscrowSnapshot("uact", 100, 0, 1), 1.5m, 1);

        var decision = EscrowLedger.Decide(position, 1.5m, new TopUpRule(100, 200), null, 0);

        Assert.Equal(200, decision.Amount); // 200 blocks × 1.5 − 100 held
    }

    [Fact]
    public void Without_a_lease_price_nothing_is_deposited() =>
        Assert.Equal(new TopUpDecision(0, false), EscrowLedger.Decide(new EscrowPosition("uact", 0, 0, null), 0, new TopUpRule(5_000, 10_000), null, 0));
}
