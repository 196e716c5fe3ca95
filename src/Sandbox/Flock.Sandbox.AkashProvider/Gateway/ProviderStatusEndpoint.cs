using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// GET /status, without credentials, as the real gateway answers it (akash-network/provider gateway/rest/router.go
/// createStatusHandler): chain-sdk's ProviderStatus (go/provider/client/types.go) with the provider's address added,
/// field for field as Go's encoding/json writes it — {"cluster":{"leases","inventory"},"bidengine":{"orders"},
/// "manifest":{"deployments"},"cluster_public_hostname","address"}. The inventory is chain-sdk's InventoryMetrics
/// (go/inventory/v1/metrics.go) as provider cluster/inventory.go getStatus fills it: one MetricTotal per reservation,
/// "active" for won leases and "pending" for open bids (both omitted when empty), and the node's allocatable and
/// available resources. Consoles probe this path to tell a live provider from a dead one before leasing.
/// </summary>
internal sealed class ProviderStatusEndpoint(ProviderContext p)
{
    private const string NodeName = "node-1";

    public async Task GetAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(Body().ToJsonString())).ConfigureAwait(false);
    }

    private JsonObject Body()
    {
        var inventory = p.Inventory.Snapshot();
        var leased = inventory.Reservations.Where(r => IsLeased(r.Key)).Select(r => (JsonNode)Total(r.Value)).ToArray();
        var pending = inventory.Reservations.Where(r => !IsLeased(r.Key)).Select(r => (JsonNode)Total(r.Value)).ToArray();
        var metrics = new JsonObject();
        if (leased.Length > 0)
        {
            metrics["active"] = new JsonArray(leased);
        }

        if (pending.Length > 0)
        {
            metrics["pending"] = new JsonArray(pending);
        }

        // "available" is a struct: Go's omitempty never drops it; its "storage" list is empty here (no persistent classes).
        metrics["available"] = new JsonObject
        {
            ["nodes"] = new JsonArray(new JsonObject { ["name"] = NodeName, ["allocatable"] = Total(inventory.Allocatable), ["available"] = Total(inventory.Available) }),
        };
        return new JsonObject
        {
            ["cluster"] = new JsonObject { ["leases"] = p.Leases.Count, ["inventory"] = metrics },
            ["bidengine"] = new JsonObject { ["orders"] = p.BidEngineOrders },
            ["manifest"] = new JsonObject { ["deployments"] = p.Leases.WithManifest },
            ["cluster_public_hostname"] = "localhost",
            ["address"] = p.Address,
        };
    }

    private bool IsLeased(string orderKey)
    {
        var parts = orderKey.Split('/');
        return parts.Length == 4 && ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var dseq)
            && uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gseq)
            && uint.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var oseq)
            && p.Leases.With(parts[0], dseq, gseq, oseq, l => l is not null);
    }

    // MetricTotal / ResourcesMetric: unsigned in Go, so never negative.
    private static JsonObject Total(ResourceAmounts r) => new()
    {
        ["cpu"] = Math.Max(0, r.Cpu),
        ["gpu"] = Math.Max(0, r.Gpu),
        ["memory"] = Math.Max(0, r.Memory),
        ["storage_ephemeral"] = Math.Max(0, r.Storage),
    };
}
