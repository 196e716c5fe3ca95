using System.Globalization;
using Flock.Akash.Protos.MarketV1;
using Flock.Sandbox.AkashChain;
using Flock.Sandbox.AkashProvider;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// A simulated provider that bids only when told (a chosen price at a chosen moment) and otherwise behaves like any
/// provider: HTTPS API with its certificate on chain, manifests, lease status. For tests of the lease flow that need
/// control over bids (crash points, faults).
/// </summary>
public sealed class BiddingProvider : IDisposable
{
    private readonly ProviderFleet _fleet;
    private readonly SimulatedProvider _provider;

    private BiddingProvider(ProviderFleet fleet, SimulatedProvider provider)
    {
        _fleet = fleet;
        _provider = provider;
    }

    public string Address => _provider.Address;

    public SimulatedProvider Provider => _provider;

    public static async Task<BiddingProvider> StartAsync(AkashChainSimulator chain, IEnumerable<KeyValuePair<string, string>>? attributes = null)
    {
        var name = "by-hand-" + Guid.NewGuid().ToString("N")[..8];
        const long Gi = 1L << 30;
        var options = new SimulatedProviderOptions
        {
            Name = name,
            // Room for every worker a suite leases from it.
            Inventory = new ProviderInventory(1_000 * 8_000L, 1_000 * 32 * Gi, 1_000 * 200 * Gi,
                [new GpuInventory("a100", 1_000, "80Gi", "sxm"), new GpuInventory("h100", 1_000, "80Gi", "sxm")]),
        };
        if (attributes is not null) options = options with { Attributes = attributes.ToDictionary(a => a.Key, a => a.Value) };
        var fleet = await ProviderFleet.StartAsync(chain, [options]);
        fleet[name].Faults.NeverBid = true;
        return new BiddingProvider(fleet, fleet[name]);
    }

    /// <summary>Bids on the open order of a deployment at a price per block (uact).</summary>
    public Task BidAsync(string owner, ulong dseq, string price, uint oseq = 1) =>
        _provider.BidAsync(owner, dseq, 1, oseq, decimal.Parse(price, CultureInfo.InvariantCulture));

    /// <summary>Closes the provider's side of an active lease, as a provider that gives the workload up (the group pauses).</summary>
    public Task CloseLeaseAsync(string owner, ulong dseq, uint oseq = 1) =>
        _provider.CloseLeaseAsync(new LeaseID { Owner = owner, Dseq = dseq, Gseq = 1, Oseq = oseq, Provider = Address, Bseq = 0 }, LeaseClosedReason.Unstable);

    public void Dispose() => _fleet.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
