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

/// <summary>What happened to the open order in a pass.</summary>
/// <param name="Leased">A lease was created in this pass.</param>
/// <param name="BidsSeen">Open bids on the order.</param>
/// <param name="Problem">Why there is no lease yet (bid window open, nothing within price).</param>
public sealed record LeaseAttempt(bool Leased, int BidsSeen, WorkloadProblem? Problem);

/// <summary>
/// Turns an open order into a lease: after the bid window, the cheapest bid that meets the resource's
/// rules (<see cref="LeaseBidSelector"/>) gets MsgCreateLease. The chain allows one lease per order (the
/// order goes active and the other bids are lost), so a retry after a crash finds the lease, not a second one.
/// </summary>
public sealed class LeaseAcquirer(AkashChainClient chain, TxSubmitter submitter, AkashOptions options, Telemetry.FlockMetrics? metrics = null)
{
    // Per order, the newest bid height already counted, so flock_akash_bids_seen_total counts each bid once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _counted = new(StringComparer.Ordinal);

    public async Task<LeaseAttempt> TryLeaseAsync(WorkerProfile profile, Wallet wallet, ulong dseq, Order order, AkashPlacement akash,
        IReadOnlySet<string> avoid, long height, CancellationToken ct)
    {
        var spec = profile.Spec;
        var bids = (await chain.ListBidsAsync(wallet.Address, dseq, "open", ct).ConfigureAwait(false))
            .Select(b => b.Bid)
            .Where(b => b.State == BidState.Open && b.Id.Gseq == order.Id.Gseq && b.Id.Oseq == order.Id.Oseq)
            .ToList();
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
        if (selection.WindowOpen || bids.Count == 0)
        {
            if (bids.Count == 0 && !selection.WindowOpen)
            {
                return new LeaseAttempt(false, 0, new WorkloadProblem("AwaitingBids",
                    $"no provider has bid on order {wallet.Address}/{dseq}/{order.Id.Gseq}/{order.Id.Oseq} yet; the first bid within maxPrice gets the lease", Fatal: false));
            }

            return new LeaseAttempt(false, bids.Count, new WorkloadProblem("AwaitingBids",
                $"order {wallet.Address}/{dseq}/{order.Id.Gseq}/{order.Id.Oseq} is collecting bids until block {order.CreatedAt + window} ({bids.Count} so far)", Fatal: false));
        }

        if (selection.Chosen is not { } chosen)
        {
            return new LeaseAttempt(false, bids.Count, new WorkloadProblem("NoBidWithinPrice", selection.Explain(requirements, bids.Count), Fatal: false));
        }

        var bidId = bids.First(b => b.Id.Provider == chosen.Provider && b.Id.Bseq == chosen.Bseq).Id;
        await submitter.SubmitAsync(wallet, [AkashMessages.CreateLease(bidId)], cancellationToken: ct).ConfigureAwait(false);
        _counted.TryRemove(orderKey, out _);
        return new LeaseAttempt(true, bids.Count, null);
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
