using Flock.Akash.Client;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.AkashProvider;

/// <summary>Following what happens to the engine's bids and leases on chain.</summary>
internal sealed partial class BidEngine
{
    private async Task FollowBidsAsync(CancellationToken cancellationToken)
    {
        if (!_orders.Values.Any(o => o.Phase == Phase.Bid))
        {
            return;
        }

        var bids = (await p.Chain.ListProviderBidsAsync(p.Address, cancellationToken: cancellationToken).ConfigureAwait(false))
            .ToDictionary(b => LeaseBook.KeyOf(b.Bid.Id.Owner, b.Bid.Id.Dseq, b.Bid.Id.Gseq, b.Bid.Id.Oseq), b => b.Bid.State, StringComparer.Ordinal);
        foreach (var (key, record) in _orders.Where(o => o.Value.Phase == Phase.Bid).ToList())
        {
            var state = bids.TryGetValue(key, out var s) ? s : Bid.Types.State.Closed;
            switch (state)
            {
                case Bid.Types.State.Active:
                    record.Phase = Phase.Won;
                    p.Counters.LeaseWon();
                    break;
                case Bid.Types.State.Open when p.Time.GetUtcNow() - record.BidAt >= p.Options.BidTimeout:
                    // bidengine/order.go: the bid timed out without a lease; close it (reason unspecified) and free the capacity.
                    try
                    {
                        await p.Submitter.SubmitAsync(p.Wallet, [CloseBid(record.Order.Id.Owner, record.Order.Id.Dseq, record.Order.Id.Gseq, record.Order.Id.Oseq, LeaseClosedReason.Unspecified)],
                            cancellationToken: cancellationToken).ConfigureAwait(false);
                        p.Counters.BidClosed();
                        Log.BidTimedOut(p.Logger, p.Options.Name, key, null);
                    }
                    catch (AkashChainException e)
                    {
                        // The owner may have taken the bid in the same block; the next tick sees what happened.
                        Log.CloseFailed(p.Logger, p.Options.Name, key, e.Message, null);
                        continue;
                    }

                    record.Phase = Phase.Done;
                    p.Inventory.Release(key);
                    break;
                case Bid.Types.State.Lost or Bid.Types.State.Closed:
                    record.Phase = Phase.Done;
                    p.Inventory.Release(key);
                    break;
            }
        }
    }

    private async Task FollowLeasesAsync(CancellationToken cancellationToken)
    {
        var active = await p.Chain.ListProviderLeasesAsync(p.Address, "active", cancellationToken).ConfigureAwait(false);
        var now = p.Time.GetUtcNow();
        var activeKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lease in active.Select(l => l.Lease))
        {
            var key = LeaseBook.KeyOf(lease.Id.Owner, lease.Id.Dseq, lease.Id.Gseq, lease.Id.Oseq);
            activeKeys.Add(key);
            if (p.Leases.With(lease.Id.Owner, lease.Id.Dseq, lease.Id.Gseq, lease.Id.Oseq, l => l is not null))
            {
                continue;
            }

            var groupName = _orders.TryGetValue(key, out var record) ? record.Order.Spec.Name : await GroupNameAsync(lease.Id, cancellationToken).ConfigureAwait(false);
            if (record is not null)
            {
                record.Phase = Phase.Won;
            }

            p.Leases.Add(new LeaseRecord(lease.Id.Clone(), groupName, now + p.Options.ManifestTimeout));
            Log.LeaseWon(p.Logger, p.Options.Name, key, null);
        }

        foreach (var key in p.Leases.Keys().Where(k => !activeKeys.Contains(k)))
        {
            // Closed by the owner, by us, or by the escrow running dry: the workload goes and the capacity returns.
            p.Leases.Remove(key);
            p.Inventory.Release(key);
            if (_orders.TryGetValue(key, out var record))
            {
                record.Phase = Phase.Done;
            }
        }

        foreach (var overdue in p.Leases.TakeOverdue(now))
        {
            try
            {
                await p.Submitter.SubmitAsync(p.Wallet, [CloseBid(overdue.Id.Owner, overdue.Id.Dseq, overdue.Id.Gseq, overdue.Id.Oseq, LeaseClosedReason.ManifestTimeout)],
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                p.Counters.LeaseClosedByProvider();
                Log.ManifestTimeout(p.Logger, p.Options.Name, overdue.Key, null);
            }
            catch (AkashChainException e)
            {
                Log.CloseFailed(p.Logger, p.Options.Name, overdue.Key, e.Message, null);
            }
        }
    }

    private async Task<string> GroupNameAsync(LeaseID id, CancellationToken cancellationToken)
    {
        var deployment = await p.Chain.GetDeploymentAsync(id.Owner, id.Dseq, cancellationToken).ConfigureAwait(false);
        return deployment?.Groups.FirstOrDefault(g => g.Id.Gseq == id.Gseq)?.GroupSpec?.Name ?? string.Empty;
    }

    private static class Log
    {
        public static readonly Action<ILogger, string, string, decimal, Exception?> BidPlaced =
            LoggerMessage.Define<string, string, decimal>(LogLevel.Information, new EventId(1, nameof(BidPlaced)), "Provider {Provider} bid on order {Order} at {Price} per block");

        public static readonly Action<ILogger, string, string, string, Exception?> BidRefused =
            LoggerMessage.Define<string, string, string>(LogLevel.Information, new EventId(2, nameof(BidRefused)), "Provider {Provider}: the chain refused the bid on {Order}: {Error}");

        public static readonly Action<ILogger, string, string, Exception?> BidTimedOut =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(3, nameof(BidTimedOut)), "Provider {Provider} closed its bid on {Order} after the bid timeout");

        public static readonly Action<ILogger, string, string, Exception?> LeaseWon =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(4, nameof(LeaseWon)), "Provider {Provider} won lease {Lease}; waiting for the manifest");

        public static readonly Action<ILogger, string, string, Exception?> ManifestTimeout =
            LoggerMessage.Define<string, string>(LogLevel.Information, new EventId(5, nameof(ManifestTimeout)), "Provider {Provider} closed lease {Lease}: no manifest within the manifest timeout");

        public static readonly Action<ILogger, string, string, string, Exception?> CloseFailed =
            LoggerMessage.Define<string, string, string>(LogLevel.Warning, new EventId(6, nameof(CloseFailed)), "Provider {Provider} could not close {Order}: {Error}");
    }
}
