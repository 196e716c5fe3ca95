using System.Collections.Concurrent;
using Flock.Akash.Chain;
using Flock.Akash.Client;
using Flock.Akash.Protos.BaseDepositV1;
using Flock.Akash.Protos.CosmosBaseV1Beta1;
using Flock.Akash.Protos.MarketV1;
using Flock.Akash.Protos.MarketV1Beta5;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;

namespace Flock.Bench.Soak;

/// <summary>Providers that bid (round robin, signed transactions) on every open order of a soak deployment waiting for bids.</summary>
internal sealed class MarketMaker(SoakWorld world, KubeRestClient rest)
{
    private readonly ConcurrentDictionary<(string, ulong, uint), byte> _bids = new();
    private int _next;

    public int Bids => _bids.Count;

    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var waiting = new List<(string Owner, ulong Dseq)>();
                foreach (var ns in world.Namespaces)
                {
                    foreach (var node in (await rest.ListAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, ns, new ListOptions(), stop)).Items)
                    {
                        if (node.Status?.Akash is { Dseq: { } dseq, LeaseState: "awaiting-bids", Owner: { } owner }) waiting.Add((owner, (ulong)dseq));
                    }
                }

                await Parallel.ForEachAsync(waiting, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = stop }, async (w, ct) =>
                {
                    foreach (var order in await world.ChainClient.ListOrdersAsync(w.Owner, w.Dseq, "open", ct))
                    {
                        if (!_bids.TryAdd((w.Owner, w.Dseq, order.Id.Oseq), 0)) continue;
                        var (wallet, submitter) = world.Providers[Interlocked.Increment(ref _next) % world.Providers.Count];
                        var bid = new MsgCreateBid
                        {
                            Id = new BidID { Owner = w.Owner, Dseq = w.Dseq, Gseq = order.Id.Gseq, Oseq = order.Id.Oseq, Provider = wallet.Address, Bseq = 0 },
                            Price = new DecCoin { Denom = "uact", Amount = LegacyDec.ToWire("500") },
                            Deposit = new Deposit { Amount = AkashMessages.Coin(500_000, "uakt"), Sources = { Source.Balance } },
                        };
                        try
                        {
                            await submitter.SubmitAsync(wallet, [bid], cancellationToken: ct);
                        }
                        catch (AkashChainException)
                        {
                            _bids.TryRemove((w.Owner, w.Dseq, order.Id.Oseq), out _); // the chain was down on purpose; bid again next round
                        }
                    }
                });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Faults are injected on purpose; the next round looks again.
            }

            try
            {
                await Task.Delay(500, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
