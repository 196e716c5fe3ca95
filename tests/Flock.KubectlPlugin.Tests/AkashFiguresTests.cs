using Flock.Crds.V1Alpha1;
using Flock.KubectlPlugin.Status;

namespace Flock.KubectlPlugin.Tests;

public sealed class AkashFiguresTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59, "59s")]
    [InlineData(60, "1m")]
    [InlineData(3599, "59m")]
    [InlineData(3600, "1h")]
    [InlineData(3 * 3600 + 25 * 60, "3h25m")]
    [InlineData(86_400, "1d")]
    [InlineData(2 * 86_400 + 5 * 3600 + 59, "2d5h")]
    public void Durations_read_like_kubectl_ages(int seconds, string text) =>
        Assert.Equal(text, AkashFigures.Duration(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("12.5uact", 12.5, "uact")]
    [InlineData("5000000uakt", 5000000, "uakt")]
    [InlineData("3 uact", 3, "uact")]
    public void Amounts_with_denoms_parse(string text, double amount, string denom)
    {
        var parsed = AkashFigures.Parse(text);

        Assert.Equal((decimal)amount, parsed!.Amount);
        Assert.Equal(denom, parsed.Denom);
    }

    [Theory]
    [InlineData("")]
    [InlineData("uact")]
    [InlineData("12.5")]
    [InlineData("-3uact")]
    public void Malformed_amounts_give_nothing(string text) => Assert.Null(AkashFigures.Parse(text));

    [Fact]
    public void Escrow_in_another_denom_than_the_price_has_no_drain_time() =>
        Assert.Null(AkashFigures.TimeToDrain(new AkashStatus { Price = "10uact", EscrowBalance = "1000uakt" }));

    [Fact]
    public void Runway_in_status_wins_over_the_balance() =>
        Assert.Equal(TimeSpan.FromSeconds(100 * AkashFigures.SecondsPerBlock),
            AkashFigures.TimeToDrain(new AkashStatus { Price = "10uact", EscrowBalance = "1000000uact", Runway = 100 }));

    [Theory]
    [InlineData("1807580.174927uact", "1.81 ACT")]
    [InlineData("49959700uact", "49.96 ACT")]
    [InlineData("150uakt", "0.00015 AKT")]
    [InlineData("0uact", "0 ACT")]
    [InlineData("12ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2", "12ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2")]
    public void Micro_denominations_are_shown_in_whole_units(string status, string shown) => Assert.Equal(shown, AkashFigures.Display(status));
}
