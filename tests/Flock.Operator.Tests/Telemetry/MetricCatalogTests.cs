using System.Diagnostics.Metrics;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>docs/metrics.md lists exactly the instruments the operator defines, with their Prometheus types.</summary>
public sealed class MetricCatalogTests
{
    /// <summary>Every instrument the operator's telemetry wiring creates, by name, with the type the exporter gives it.</summary>
    private static Dictionary<string, string> DefinedInstruments()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<OperatorOptions>();
        services.AddFlockTelemetry(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        var own = provider.GetRequiredService<IMeterFactory>();
        var defined = new Dictionary<string, string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, own)) defined[instrument.Name] = PrometheusType(instrument);
                else if (TelemetryServices.IsExportedRuntimeInstrument(instrument)) defined[PrometheusName(instrument)] = PrometheusType(instrument);
            },
        };
        listener.Start();
        TelemetryServices.StartObserving(provider);
        return defined;
    }

    /// <summary>
    /// The exporter's name for an OpenTelemetry-style instrument (the runtime's: "dotnet.gc.pause.time", unit "s"): dots
    /// become underscores, the unit a suffix (annotations in braces are dropped), and sums end in _total.
    /// </summary>
    private static string PrometheusName(Instrument instrument)
    {
        var name = instrument.Name.Replace('.', '_');
        var unit = instrument.Unit switch
        {
            "By" => "bytes",
            "s" => "seconds",
            _ => null,
        };
        if (unit is not null && !name.EndsWith("_" + unit, StringComparison.Ordinal)) name += "_" + unit;
        return PrometheusType(instrument) == "counter" ? name + "_total" : name;
    }

    private static string PrometheusType(Instrument instrument)
    {
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>)) return "counter";
        if (type == typeof(Histogram<>)) return "histogram";
        return "gauge";
    }

    [Fact]
    public void Every_defined_instrument_is_documented_with_its_type_and_nothing_else_is()
    {
        var defined = DefinedInstruments();
        var documented = MetricsDoc.Read().Values.Where(m => m.Name != "target_info").ToDictionary(m => m.Name, m => m.Type);

        var undocumented = defined.Keys.Except(documented.Keys).Order().ToList();
        var stale = documented.Keys.Except(defined.Keys).Order().ToList();
        var wrongType = defined.Where(d => documented.TryGetValue(d.Key, out var t) && t != d.Value).Select(d => $"{d.Key}: {d.Value}, docs say {documented[d.Key]}").ToList();

        Assert.True(undocumented.Count == 0, "missing from docs/metrics.md: " + string.Join(", ", undocumented));
        Assert.True(stale.Count == 0, "in docs/metrics.md but not defined: " + string.Join(", ", stale));
        Assert.True(wrongType.Count == 0, string.Join("; ", wrongType));
    }

    [Fact]
    public void The_names_dashboards_are_built_on_are_all_defined()
    {
        string[] fixedNames =
        [
            "controller_runtime_reconcile_total", "controller_runtime_reconcile_errors_total", "controller_runtime_reconcile_time_seconds",
            "workqueue_depth", "workqueue_adds_total", "workqueue_retries_total", "workqueue_queue_duration_seconds", "workqueue_work_duration_seconds",
            "flock_informer_relists_total", "flock_informer_watch_restarts_total", "leader_election_master_status",
            "rest_client_requests_total", "rest_client_request_duration_seconds",
            "flock_api_request_duration_seconds", "flock_api_errors_total", "flock_evm_request_duration_seconds", "flock_evm_errors_total",
            "flock_akash_rpc_duration_seconds", "flock_akash_tx_total", "flock_akash_bids_seen_total",
            "flock_akash_lease_price", "flock_akash_lease_price_per_hour", "flock_akash_escrow_balance", "flock_akash_spent_total",
            "flock_stake_amount", "flock_worker_phase",
        ];

        var defined = DefinedInstruments();

        var missing = fixedNames.Where(n => !defined.ContainsKey(n)).ToList();

        Assert.True(missing.Count == 0, "not defined: " + string.Join(", ", missing));
    }
}
