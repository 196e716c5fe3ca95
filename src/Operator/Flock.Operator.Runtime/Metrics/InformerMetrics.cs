using System.Diagnostics.Metrics;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Diagnostics;

namespace Flock.Operator.Runtime.Metrics;

/// <summary>
/// How often the informers had to list again (the first list, then one per 410 Gone) and to restart a watch, by
/// resource (plural.group, e.g. deployments.apps; core kinds by plural alone). Read from the informers' own counters at each scrape; informers
/// of one resource in several namespaces are added up.
/// </summary>
public sealed class InformerMetrics
{
    public InformerMetrics(IMeterFactory meters, RuntimeDiagnostics diagnostics, Func<IEnumerable<IInformer>> informers)
    {
        var meter = meters.Create(diagnostics.MeterName);
        meter.CreateObservableCounter($"{diagnostics.MetricPrefix}_informer_relists_total", () => ByResource(informers(), i => i.Relists), null,
            "Full lists an informer made: the first one and one after each expired watch (410 Gone).");
        meter.CreateObservableCounter($"{diagnostics.MetricPrefix}_informer_watch_restarts_total", () => ByResource(informers(), i => i.WatchRestarts), null,
            "Watches an informer started again after one ended, failed or went silent.");
    }

    private static IEnumerable<Measurement<long>> ByResource(IEnumerable<IInformer> informers, Func<IInformer, long> value) =>
        informers.GroupBy(i => i.Kind.ToString(), StringComparer.Ordinal)
            .Select(g => new Measurement<long>(g.Sum(value), new KeyValuePair<string, object?>("resource", g.Key)));
}
