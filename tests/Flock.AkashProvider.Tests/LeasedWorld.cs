using Flock.Akash.Protos.MarketV1;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Shared by the tests of one class: one provider holding one lease of the owner whose manifest it accepted (ready),
/// so each test only exercises its own request.
/// </summary>
public sealed class LeasedWorld : IAsyncLifetime
{
    public World W { get; private set; } = null!;

    public SimulatedProvider Provider => W["p1"];

    public TestDeployment Deployment { get; private set; } = null!;

    public LeaseID Lease { get; private set; } = null!;

    public LeaseId ApiLease => LeaseId.From(Lease);

    public ProviderEndpoint Endpoint { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        W = await World.StartAsync(new SimulatedProviderOptions { Name = "p1" });
        Deployment = await W.DeployAsync();
        Lease = await W.LeaseCheapestAsync(Deployment.Dseq, 1);
        Endpoint = await W.EndpointAsync(Lease.Provider);
        await Eventually.TrueAsync(() => Provider.ActiveLeases == 1, "the provider noticed its lease");
        await W.Api.SendManifestAsync(Endpoint, Deployment.Dseq, Deployment.Sdl.ManifestJson, W.Jwt, default);
    }

    public async Task DisposeAsync() => await W.DisposeAsync();
}
