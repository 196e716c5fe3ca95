using System.Globalization;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.Akash;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.Workers;
using BidState = Flock.Akash.Protos.MarketV1Beta5.Bid.Types.State;
using Order = Flock.Akash.Protos.MarketV1Beta5.Order;

namespace Flock.Operator.Backends.Akash;

/// <summary>A bidder passed over in a pass because it did not answer before leasing, and why.</summary>
public sealed record SkippedProvider(string Provider, string Reason);

/// <summary>What happened to the open order in a pass.</summary>
/// <param name="Leased">A lease was created in this pass.</param>
/// <param name="BidsSeen">Open bids on the order.</param>
/// <param name="Problem">Why there is no lease yet (bid window open, nothing within price, no eligible bidder answers).</param>
public sealed record LeaseAttempt(bool Leased, int BidsSeen, WorkloadProblem? Problem)
{
    /// <summary>Bids are still being collected: no decision was made in this pass.</summary>
    public bool WindowOpen { get; init; }

    /// <summary>The lowest price among the order's bids in the wanted denom, eligible or not, open or closed (12.5uact); null without bids.</summary>
    public string? BestPriceSeen { get; init; }

    /// <summary>Bids on the order their providers closed (after the providers' 5-minute bid timeout): they never come back.</summary>
    public int ClosedBids { get; init; }

    /// <summary>Eligible bidders passed over in this pass because their /status did not answer; to be avoided.</summary>
    public IReadOnlyList<SkippedProvider> Skipped { get; init; } = [];
}

/// <summary>
/// Turns an open order into a lease: after the bid window, the cheapest bid that meets the resource's rules
/// (<see cref="LeaseBidSelector"/>) whose provider answers its /status (<see cref="ProviderProbe"/>) gets
/// MsgCreateLease; a bidder that does not answer is skipped and the next eligible one is asked. The chain allows one
/// lease per order (the order goes active and the other bids are lost), so a retry after a crash finds the lease,
/// not a second one.
/// </summary>
public sealed class LeaseAcquirer(AkashChainClient chain, TxSubmitter submitter, ProviderProbe probe, AkashOptions options, Telemetry.FlockMetrics? metrics = null)
{
    /// <summary>
    /// Bidders asked for their /status in one pass: each silent one costs the probe timeout (5 s), and a pass must not
    /// hold a reconcile worker for minutes. The skipped ones are avoided, so the next pass asks the next ones.
    /// </summary>
    private const int MaxProbesPerPass = 3;

    // Per order, the newest bid height already counted, so flock_akash_bids_seen_total counts each bid once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counted = new(StringComparer.Ordinal);

    public async Task<LeaseAttempt> TryLeaseAsync(WorkerProfile profile, Wallet wallet, ulong dseq, Order order, AkashPlacement akash,
        IReadOnlySet<string> avoid, long height, CancellationToken ct)
    {
        var spec = profile.Spec;
        // Every bid of the order: the open ones compete; a closed one (its provider's bid timeout ran out) is only reported.
        var all = (await chain.ListBidsAsync(wallet.Address, dseq, cancellationToken: ct).ConfigureAwait(false))
            .Select(b => b.Bid)
            .Where(b => b.Id.Gseq == order.Id.Gseq && b.Id.Oseq == order.Id.Oseq)
            .ToList();
        var bids = all.Where(b => b.State == BidState.Open).ToList();
        var closed = all.Count(b => b.State == BidState.Closed);
        var orderKey = $"{wallet.Address}/{dseq}/{order.Id.Gseq}/{order.Id.Oseq}";
        var counted = _counted.GetValueOrDefault(orderKey, -1);
        metrics?.BidsSeen(profile.Namespace, profile.Name, profile.Kind, bids.Count(b => b.CreatedAt > counted));
        if (bids.Count > 0) _counted[orderKey] = Math.Max(counted, bids.Max(b => b.CreatedAt));
        var candidates = new List<BidCandidate>(bids.Count);
        foreach (var bid in bids)
        {
            candidates.Add(await CandidateAsync(bid, akash, ct).ConfigureAwait(false));
        }

        var requirements = Requirements(akash, spec, avoid);
        var window = akash.BidWindow ?? options.BidWindowBlocks;
        var selection = LeaseBidSelector.Select(candidates, requirements, height, order.CreatedAt + window);
        var best = BestPrice(all, requirements.Denom);
        if (selection.WindowOpen || bids.Count == 0)
        {
            if (bids.Count == 0 && !selection.WindowOpen)
            {
                return new LeaseAttempt(false, 0, new WorkloadProblem("AwaitingBids", closed == 0
                    ? $"no provider has bid on order {orderKey} yet; the first bid within maxPrice gets the lease"
                    : $"no open bid is left on order {orderKey}: its {closed} bid(s) were closed by their providers (their bid timeout ran out)", Fatal: false))
                { BestPriceSeen = best, ClosedBids = closed };
            }

            return new LeaseAttempt(false, bids.Count, new WorkloadProblem("AwaitingBids",
                $"order {orderKey} is collecting bids until block {order.CreatedAt + window} ({bids.Count} so far)", Fatal: false))
            { WindowOpen = selection.WindowOpen, BestPriceSeen = best, ClosedBids = closed };
        }

        var skipped = new List<SkippedProvider>();
        foreach (var candidate in selection.Ranked.Take(MaxProbesPerPass))
        {
            if (await probe.FailureAsync(candidate.Provider, ct).ConfigureAwait(false) is { } why)
            {
                skipped.Add(new SkippedProvider(candidate.Provider, why));
                continue;
            }

            var bidId = bids.First(b => b.Id.Provider == candidate.Provider && b.Id.Bseq == candidate.Bseq).Id;
            await submitter.SubmitAsync(wallet, [AkashMessages.CreateLease(bidId)], cancellationToken: ct).ConfigureAwait(false);
            _counted.TryRemove(orderKey, out _);
            return new LeaseAttempt(true, bids.Count, null) { BestPriceSeen = best, Skipped = skipped, ClosedBids = closed };
        }

        if (skipped.Count > 0)
        {
            var others = selection.Ranked.Count - skipped.Count;
            var passed = selection.Rejections.Count == 0 ? string.Empty : $"; the other bids do not qualify ({selection.RejectionSummary()})";
            return new LeaseAttempt(false, bids.Count, new WorkloadProblem("BidderUnreachable",
                $"{skipped.Count} eligible bid(s) on order {orderKey} come from providers that did not answer before leasing: "
                + string.Join("; ", skipped.Select(x => $"{x.Provider}: {x.Reason}"))
                + $"; they are avoided for {options.AvoidProviderMinutes:0} min{(others > 0 ? $" and {others} more eligible bid(s) are tried in the next pass" : string.Empty)}{passed}",
                Fatal: false)) { BestPriceSeen = best, Skipped = skipped, ClosedBids = closed };
        }

        return new LeaseAttempt(false, bids.Count, new WorkloadProblem("NoBidWithinPrice", selection.Explain(requirements, bids.Count), Fatal: false))
        { BestPriceSeen = best, ClosedBids = closed };
    }

    /// <summary>The lowest well-formed price among the bids in <paramref name="denom"/>, with it (12.5uact); null without one.</summary>
    private static string? BestPrice(IEnumerable<Flock.Akash.Protos.MarketV1Beta5.Bid> bids, string denom)
    {
        decimal? best = null;
        foreach (var bid in bids.Where(b => b.Price?.Denom == denom))
        {
            if (decimal.TryParse(LegacyDec.FromWire(bid.Price.Amount), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var price) && price >= 0)
            {
                best = best is { } b && b <= price ? b : price;
            }
        }

        return best is { } lowest ? EscrowLedger.Format(lowest, denom) : null;
    }

    private async Task<BidCandidate> CandidateAsync(Flock.Akash.Protos.MarketV1Beta5.Bid bid, AkashPlacement akash, CancellationToken ct)
    {
        var provider = bid.Id.Provider;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var auditors = new HashSet<string>(StringComparer.Ordinal);
        if (await chain.GetProviderAsync(provider, ct).ConfigureAwait(false) is { } registered)
        {
            foreach (var a in registered.Attributes) attributes[a.Key] = a.Value;
        }

        // Audits only matter when the resource names auditors; skip the query otherwise.
        if (akash.SignedBy is { } signedBy && ((signedBy.AllOf?.Count ?? 0) + (signedBy.AnyOf?.Count ?? 0)) > 0)
        {
            foreach (var audited in await chain.GetAuditedAttributesAsync(provider, cancellationToken: ct).ConfigureAwait(false))
            {
                auditors.Add(audited.Auditor);
            }
        }

        var price = decimal.Parse(LegacyDec.FromWire(bid.Price.Amount), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return new BidCandidate(provider, bid.Id.Bseq, bid.Price.Denom, price, bid.CreatedAt, attributes, auditors);
    }

    /// <summary>The rules a bid must meet, from placement.akash and resources.gpu.</summary>
    public static BidRequirements Requirements(AkashPlacement akash, WorkerSpec spec, IReadOnlySet<string> avoid) => new()
    {
        Denom = akash.MaxPrice.Denom == AkashDenom.Uakt ? "uakt" : "uact",
        MaxPrice = decimal.Parse(akash.MaxPrice.Amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture),
        Allow = (akash.Providers?.Allow ?? []).ToHashSet(StringComparer.Ordinal),
        Deny = (akash.Providers?.Deny ?? []).ToHashSet(StringComparer.Ordinal),
        SignedByAllOf = akash.SignedBy?.AllOf ?? [],
        SignedByAnyOf = akash.SignedBy?.AnyOf ?? [],
        Attributes = akash.Attributes ?? new Dictionary<string, string>(),
        GpuModels = spec.Resources.Gpu.Models ?? [],
        GpuMinMemoryBytes = spec.Resources.Gpu.MinMemory is { } min ? new k8s.Models.ResourceQuantity(min).ToInt64() : null,
        Avoid = avoid,
    };
}
