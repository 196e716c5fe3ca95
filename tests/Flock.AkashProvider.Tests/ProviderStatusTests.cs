using System.Text.Json;
using Flock.Akash.ProviderApi;
using Flock.Sandbox.AkashProvider;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// GET /status and the per-service status of the simulated gateway, in the real provider's shapes
/// (provider gateway/rest/router.go createStatusHandler, leaseServiceStatusHandler; chain-sdk go/provider/client/types.go),
/// read raw and through the operator's <see cref="ProviderClient"/>; and a provider that is up on chain but does not answer.
/// </summary>
public sealed class ProviderStatusTests
{
    [Fact]
    public async Task Status_answers_anyone_with_the_bid_engine_and_inventory_counts_of_the_real_gateway()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "alive" });
        var endpoint = await w.EndpointAsync(w["alive"].Address);
        var d = await w.DeployAsync();
        await w.BidsAsync(d.Dseq, 1);

        // An open bid: one order in the bid engine, its reservation pending, nothing leased.
        var pending = await Eventually.ValueAsync(async () =>
        {
            var (code, body) = await RawProvider.SendAsync(endpoint, HttpMethod.Get, "/status");
            return code == 200 && JsonDocument.Parse(body).RootElement.GetProperty("bidengine").GetProperty("orders").GetInt32() == 1 ? body : null;
        }, "/status counts the open bid");
        using (var doc = JsonDocument.Parse(pending))
        {
            var root = doc.RootElement;
            Assert.Equal(new[] { "cluster", "bidengine", "manifest", "cluster_public_hostname", "address" }, root.EnumerateObject().Select(p => p.Name));
            Assert.Equal(w["alive"].Address, root.GetProperty("address").GetString());
            var inventory = root.GetProperty("cluster").GetProperty("inventory");
            Assert.Equal(0, root.GetProperty("cluster").GetProperty("leases").GetInt32());
            Assert.False(inventory.TryGetProperty("active", out _)); // Go omits an empty slice
            Assert.Equal(1, Assert.Single(inventory.GetProperty("pending").EnumerateArray()).GetProperty("gpu").GetInt64());
            var node = Assert.Single(inventory.GetProperty("available").GetProperty("nodes").EnumerateArray());
            Assert.Equal(8, node.GetProperty("allocatable").GetProperty("gpu").GetInt64());
            Assert.Equal(7, node.GetProperty("available").GetProperty("gpu").GetInt64());
        }

        var status = await w.Api.GetProviderStatusAsync(endpoint, TimeSpan.FromSeconds(5));
        Assert.Equal(w["alive"].Address, status.Address);
        Assert.Equal(1, status.BidEngineOrders);
        Assert.Equal(0, status.Leases);

        // Leased and given its manifest: the reservation is active, the manifest service counts the deployment.
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        await Eventually.TrueAsync(() => w["alive"].ActiveLeases == 1, "the provider noticed its lease");
        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt);
        var leased = await Eventually.ValueAsync(async () =>
        {
            var s = await w.Api.GetProviderStatusAsync(endpoint, TimeSpan.FromSeconds(5));
            return s is { Leases: 1, ManifestDeployments: 1, BidEngineOrders: 0 } ? s : null;
        }, "/status counts the lease");
        var (_, raw) = await RawProvider.SendAsync(endpoint, HttpMethod.Get, "/status");
        using var after = JsonDocument.Parse(raw);
        var metrics = after.RootElement.GetProperty("cluster").GetProperty("inventory");
        Assert.Single(metrics.GetProperty("active").EnumerateArray());
        Assert.False(metrics.TryGetProperty("pending", out _));
        Assert.Equal("localhost", leased.PublicHostname);
        Assert.Equal(w["alive"].Address, lease.Provider);
    }

    [Theory]
    [InlineData("<html><body>Welcome to nginx!</body></html>")]
    [InlineData("{}")]
    [InlineData("{\"cluster\":{\"leases\":1},\"bidengine\":{\"orders\":\"many\"},\"manifest\":{\"deployments\":0}}")]
    [InlineData("{\"cluster\":{\"leases\":-1},\"bidengine\":{\"orders\":0},\"manifest\":{\"deployments\":0}}")]
    [InlineData("[]")]
    public void A_200_that_is_not_a_provider_status_does_not_count_as_an_answer(string body)
    {
        // A host_uri behind a parked domain or a proxy page answers 200 too; only the gateway's three sections are a status.
        Assert.Throws<FormatException>(() => ProviderStatusJson.Parse(System.Text.Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task An_unresponsive_provider_still_bids_but_its_status_times_out()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "wedged" });
        w["wedged"].Faults.Unresponsive = true;
        var endpoint = await w.EndpointAsync(w["wedged"].Address);

        var d = await w.DeployAsync();
        await w.BidsAsync(d.Dseq, 1);
        var e = await Assert.ThrowsAsync<ProviderException>(() => w.Api.GetProviderStatusAsync(endpoint, TimeSpan.FromMilliseconds(500)));

        Assert.Equal(ProviderErrorKind.Unreachable, e.Kind);
        Assert.Null(e.StatusCode);
        Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_is_down_refuses_the_status_connection()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "off" });
        var endpoint = await w.EndpointAsync(w["off"].Address);
        await w["off"].SetDownAsync(true);

        var e = await Assert.ThrowsAsync<ProviderException>(() => w.Api.GetProviderStatusAsync(endpoint, TimeSpan.FromSeconds(5)));

        Assert.Equal(ProviderErrorKind.Unreachable, e.Kind);
        Assert.Contains("ConnectionRefused", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_service_status_of_a_lease_answers_its_owner_and_404s_an_unknown_service()
    {
        await using var w = await World.StartAsync(new SimulatedProviderOptions { Name = "p" });
        var d = await w.DeployAsync();
        var lease = await w.LeaseCheapestAsync(d.Dseq, 1);
        var endpoint = await w.EndpointAsync(lease.Provider);
        var path = $"/lease/{LeaseId.From(lease)}/service";
        var token = ProviderJwt.Issue(w.Owner, JwtLeases.Full, TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => w["p"].ActiveLeases == 1, "the provider noticed its lease");

        // No workload before the manifest: the cluster has no namespace for the lease.
        Assert.Equal((404, "kube: lease not found\n"), await RawProvider.SendAsync(endpoint, HttpMethod.Get, $"{path}/flock-train/status", token));

        await w.Api.SendManifestAsync(endpoint, d.Dseq, d.Sdl.ManifestJson, w.Jwt);
        var (code, body) = await RawProvider.SendAsync(endpoint, HttpMethod.Get, $"{path}/flock-train/status", token);
        Assert.Equal(200, code);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("flock-train", doc.RootElement.GetProperty("name").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("total").GetInt32());
        Assert.Equal((404, "kube: no service for that lease\n"), await RawProvider.SendAsync(endpoint, HttpMethod.Get, $"{path}/web/status", token));

        var (stranger, _) = World.NewWallet("stranger-" + Guid.NewGuid());
        using (stranger)
        {
            var foreign = ProviderJwt.Issue(stranger, JwtLeases.Full, TimeSpan.FromMinutes(5));
            Assert.NotEqual(200, (await RawProvider.SendAsync(endpoint, HttpMethod.Get, $"{path}/flock-train/status", foreign)).Status);
        }
    }
}
