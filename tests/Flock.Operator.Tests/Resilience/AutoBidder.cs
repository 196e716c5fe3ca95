using System.Collections.Concurrent;
using Flock.Akash.Client;
using Flock.Operator.Tests.Integration;
using OrderState = Flock.Akash.Protos.MarketV1Beta5.Order.Types.State;

namespace Flock.Operator.Tests.Resilience;

/// <summary>
/// The market as a test wants it, in the background: for each watched worker, once its deployment waits for bids, the
/// provider its policy names (none: no bid) bids once on every open order. Providers act by signed transactions.
/// </summary>
public sealed class AutoBidder : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (IWorker Worker, Func<uint, BiddingProvider?> Policy, string Price)> _watched = new();
    private readonly ConcurrentDictionary<(string, ulong, uint), byte> _bids = new();
    private readonly AkashChainClient _chain;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AutoBidder(ResilienceSandbox sandbox)
    {
        _chain = new AkashChainClient(new AkashClientOptions(new Uri(sandbox.Chain.GrpcUrl), sandbox.Chain.ChainId));
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Bids for the worker's orders from now on; the policy picks the provider by order sequence (oseq).</summary>
    public void Watch(IWorker worker, string owner, Func<uint, BiddingProvider?> policy, string price = "500") => _watched[owner] = (worker, policy, price);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (owner, (worker, policy, price)) in _watched)
            {
                try
                {
                    if ((await worker.ReadAsync())?.Status?.Akash is not { Dseq: { } dseq, LeaseState: "awaiting-bids" }) continue;
                    foreach (var order in await _chain.ListOrdersAsync(owner, (ulong)dseq, "open", _stop.Token))
                    {
                        if (order.State != OrderState.Open || _bids.ContainsKey((owner, (ulong)dseq, order.Id.Oseq))) continue;
                        if (policy(order.Id.Oseq) is not { } provider) continue;
                        await provider.BidAsync(owner, (ulong)dseq, price, order.Id.Oseq);
                        _bids[(owner, (ulong)dseq, order.Id.Oseq)] = 0;
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The chain may be down on purpose; the next round tries again.
                }
            }

            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _chain.Dispose();
        _stop.Dispose();
    }
}
