using System.Diagnostics.Metrics;
using System.Globalization;
using Flock.Crds.V1Alpha1;

namespace Flock.Operator.Telemetry;

/// <summary>One resource as the gauges see it: its identity and the status the operator last wrote.</summary>
public sealed record WorkerView(string Namespace, string Name, string Kind, WorkerStatus? Status);

/// <summary>
/// Per-resource gauges read from the informer caches at each scrape, so what a user sees in `kubectl get` is also on
/// a dashboard: the phase, the stake per task and, on Akash, the lease price, escrow balance and spending. Nothing
/// is stored here; a resource that is deleted drops out of the next scrape.
/// </summary>
public sealed class WorkerStatusMetrics
{
    private static readonly Phase[] Phases = Enum.GetValues<Phase>();
    private readonly Func<IEnumerable<WorkerView>> _workers;

    public WorkerStatusMetrics(IMeterFactory meters, Func<IEnumerable<WorkerView>> workers)
    {
        _workers = workers;
        var meter = meters.Create(OperatorDiagnostics.Name);
        meter.CreateObservableGauge("flock_worker_phase", ObservePhases, null,
            "1 for the resource's current phase, 0 for every other phase (kube-state-metrics style).");
        meter.CreateObservableGauge("flock_stake_amount", ObserveStakes, "{token}",
            "Stake read from the task-manager contract for the resource's wallet on each task, in whole tokens (base units / 1e18).");
        meter.CreateObservableGauge("flock_akash_lease_price", () => ObserveCoin(a => a.Price), "{coin}",
            "Price of the resource's Akash lease per block, in the denom label's units.");
        meter.CreateObservableGauge("flock_akash_lease_price_per_hour", () => ObserveCoin(a => a.PricePerHour), "{coin}",
            "Estimated cost per hour at the lease price, in the denom label's units.");
        meter.CreateObservableGauge("flock_akash_escrow_balance", () => ObserveCoin(a => a.EscrowBalance), "{coin}",
            "Escrow left in the resource's Akash deployment account, in the denom label's units.");
        meter.CreateObservableCounter("flock_akash_spent_total", () => ObserveCoin(a => a.Spent), "{coin}",
            "Total paid to Akash providers for the resource so far, in the denom label's units.");
    }

    private IEnumerable<Measurement<long>> ObservePhases()
    {
        foreach (var w in _workers())
        {
            foreach (var phase in Phases)
            {
                yield return new Measurement<long>(w.Status?.Phase == phase ? 1 : 0, Identity(w, "phase", phase.ToString()));
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveStakes()
    {
        foreach (var w in _workers())
        {
            foreach (var stake in w.Status?.Staking?.Tasks ?? [])
            {
                if (CoinAmount.Tokens(stake.Amount) is { } tokens)
                {
                    yield return new Measurement<double>(tokens, Identity(w, "task", stake.TaskId.ToString(CultureInfo.InvariantCulture)));
                }
            }
        }
    }

    private IEnumerable<Measurement<double>> ObserveCoin(Func<AkashStatus, string?> field)
    {
        foreach (var w in _workers())
        {
            if (w.Status?.Akash is { } akash && CoinAmount.Parse(field(akash)) is { } coin)
            {
                yield return new Measurement<double>(coin.Amount, Identity(w, "denom", coin.Denom));
            }
        }
    }

    private static KeyValuePair<string, object?>[] Identity(WorkerView w, string extraName, string extraValue) =>
    [
        new("namespace", w.Namespace),
        new("name", w.Name),
        new("kind", w.Kind),
        new(extraName, extraValue),
    ];
}
