using System.Diagnostics.Metrics;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>The per-resource gauges say what the status says: phase, stake per task, lease price, escrow and spending.</summary>
public sealed class WorkerStatusMetricsTests
{
    private static IReadOnlyList<Measured> Observe(IReadOnlyList<WorkerView> workers)
    {
        using var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        using var measurements = new Measurements(factory);
        _ = new WorkerStatusMetrics(factory, () => workers);
        return measurements.Observe();
    }

    private static readonly WorkerView OnAkash = new("team", "trainer", FlockTrainingNode.KindName, new FlockTrainingNodeStatus
    {
        Phase = Phase.Running,
        Staking = new StakingStatus { Tasks = [new TaskStake { TaskId = 12, Amount = "3500000000000000000000" }] },
        Akash = new AkashStatus { Price = "12.5uact", PricePerHour = "7500uact", EscrowBalance = "4800000uact", Spent = "1500uact" },
    });

    private static readonly WorkerView Fresh = new("team", "checker", FlockValidator.KindName, null);

    [Fact]
    public void Phase_is_one_for_the_current_phase_and_zero_for_the_others()
    {
        var phases = Observe([OnAkash, Fresh]).Where(p => p.Instrument == "flock_worker_phase").ToList();

        var trainer = phases.Where(p => p.Tags["name"] == "trainer").ToList();
        Assert.Equal(Enum.GetValues<Phase>().Length, trainer.Count);
        Assert.Equal("Running", Assert.Single(trainer, p => p.Value == 1).Tags["phase"]);
        Assert.Equal(("team", FlockTrainingNode.KindName), (trainer[0].Tags["namespace"], trainer[0].Tags["kind"]));
        // No status yet: no phase holds.
        Assert.All(phases.Where(p => p.Tags["name"] == "checker"), p => Assert.Equal(0, p.Value));
    }

    [Fact]
    public void Stake_is_in_whole_tokens_per_task()
    {
        var stake = Assert.Single(Observe([OnAkash, Fresh]), p => p.Instrument == "flock_stake_amount");

        Assert.Equal(3500, stake.Value);
        Assert.Equal("12", stake.Tags["task"]);
    }

    [Fact]
    public void Lease_price_escrow_and_spending_carry_their_denom()
    {
        var points = Observe([OnAkash, Fresh]);

        foreach (var (name, value) in new[] { ("flock_akash_lease_price", 12.5), ("flock_akash_lease_price_per_hour", 7500), ("flock_akash_escrow_balance", 4_800_000), ("flock_akash_spent_total", 1500) })
        {
            var point = Assert.Single(points, p => p.Instrument == name);
            Assert.Equal(value, point.Value);
            Assert.Equal(("trainer", "uact"), (point.Tags["name"], point.Tags["denom"]));
        }
    }

    [Fact]
    public void An_amount_that_is_not_a_number_and_denom_is_left_out()
    {
        var odd = OnAkash with { Status = new FlockTrainingNodeStatus { Akash = new AkashStatus { Price = "uact", EscrowBalance = "12.5", Spent = "" } } };

        Assert.DoesNotContain(Observe([odd]), p => p.Instrument.StartsWith("flock_akash_", StringComparison.Ordinal));
    }
}
