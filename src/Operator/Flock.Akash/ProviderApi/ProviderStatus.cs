namespace Flock.Akash.ProviderApi;

/// <summary>
/// GET /status of a provider (chain-sdk go/provider/client/types.go ProviderStatus, plus the "address" the gateway's
/// createStatusHandler adds): the counters a tenant reads to see the provider is alive before leasing from it.
/// </summary>
/// <param name="Address">The account address the gateway reports (may be empty on providers that omit it).</param>
/// <param name="Leases">cluster.leases: leases the provider runs.</param>
/// <param name="BidEngineOrders">bidengine.orders: orders its bid engine is working on.</param>
/// <param name="ManifestDeployments">manifest.deployments: deployments its manifest service manages.</param>
/// <param name="PublicHostname">cluster_public_hostname, when the provider sets one.</param>
public sealed record ProviderStatus(string Address, long Leases, long BidEngineOrders, long ManifestDeployments, string? PublicHostname);
