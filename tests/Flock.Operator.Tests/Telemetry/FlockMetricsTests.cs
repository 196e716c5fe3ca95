using System.Diagnostics.Metrics;
using Flock.Operator.FlockTasks;
using Flock.Operator.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>The outside-call and lease-flow instruments use the label values docs/metrics.md promises.</summary>
public sealed class FlockMetricsTests
{
    private static (FlockMetrics Metrics, Measurements Measurements, ServiceProvider Provider) Create()
    {
        var provider = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = provider.GetRequiredService<IMeterFactory>();
        var measurements = new Measurements(factory);
        return (new FlockMetrics(factory), measurements, provider);
    }

    [Fact]
    public void Bids_seen_are_counted_per_resource_and_no_bids_count_nothing()
    {
        var (metrics, measurements, provider) = Create();
        using (provider)
        using (measurements)
        {
            metrics.BidsSeen("team", "trainer", "FlockTrainingNode", 3);
            metrics.BidsSeen("team", "trainer", "FlockTrainingNode", 0);

            var bids = Assert.Single(measurements.Points);
            Assert.Equal(("flock_akash_bids_seen_total", 3.0), (bids.Instrument, bids.Value));
            Assert.Equal(("team", "trainer", "FlockTrainingNode"), (bids.Tags["namespace"], bids.Tags["name"], bids.Tags["kind"]));
        }
    }

    [Theory]
    [InlineData(FlockApiError.RateLimited, "rate_limited")]
    [InlineData(FlockApiError.NotFound, "not_found")]
    [InlineData(FlockApiError.ServerError, "server_error")]
    [InlineData(FlockApiError.Unreachable, "unreachable")]
    public void A_failed_flock_call_is_an_error_sample_and_counts_its_kind(FlockApiError error, string kind)
    {
        var (metrics, measurements, provider) = Create();
        using (provider)
        using (measurements)
        {
            metrics.FlockApiCompleted("get_task", error, TimeSpan.FromMilliseconds(20));

            var duration = Assert.Single(measurements.Points, p => p.Instrument == "flock_api_request_duration_seconds");
            Assert.Equal(("get_task", "error", 0.02), (duration.Tags["operation"], duration.Tags["outcome"], duration.Value));
            Assert.Equal(kind, Assert.Single(measurements.Points, p => p.Instrument == "flock_api_errors_total").Tags["kind"]);
        }
    }

    [Fact]
    public void Evm_calls_are_timed_by_method_and_outcome_and_only_failures_count_as_errors()
    {
        var (metrics, measurements, provider) = Create();
        using (provider)
        using (measurements)
        {
            metrics.EvmCompleted("eth_call", true, TimeSpan.FromMilliseconds(5));
            metrics.EvmCompleted("eth_getLogs", false, TimeSpan.FromMilliseconds(5));

            Assert.Equal(["eth_call/success", "eth_getLogs/error"],
                measurements.Points.Where(p => p.Instrument == "flock_evm_request_duration_seconds").Select(p => $"{p.Tags["method"]}/{p.Tags["outcome"]}").Order());
            Assert.Equal("eth_getLogs", Assert.Single(measurements.Points, p => p.Instrument == "flock_evm_errors_total").Tags["method"]);
        }
    }
}
