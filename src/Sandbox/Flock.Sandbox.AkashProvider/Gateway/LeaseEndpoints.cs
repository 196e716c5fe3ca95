using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// GET /lease/{dseq}/{gseq}/{oseq}/status, …/manifest and …/logs for a lease of this provider (router.go
/// leaseStatusHandler, getManifestHandler, leaseLogsHandler). A lease without a manifest is "not found" to the
/// gateway (404 with an empty body for status; close code 4001 for logs); logs before the pods run close with
/// 4000 "no running pods".
/// </summary>
internal sealed class LeaseEndpoints(ProviderContext p)
{
    private const int CloseInternalError = 4000;
    private const int CloseLeaseNotFound = 4001;

    public async Task StatusAsync(HttpContext context, LeaseKey key)
    {
        var now = p.Time.GetUtcNow();
        var status = p.Leases.With(key.Owner, key.Dseq, key.Gseq, key.Oseq, l => l?.ManifestGroup is null ? null : Status(l, now));
        if (status is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        if (p.Faults.StatusAnswer is { } answer)
        {
            context.Response.StatusCode = answer.StatusCode;
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(answer.Body)).ConfigureAwait(false);
            return;
        }

        if (p.Faults.MalformedStatus)
        {
            context.Response.ContentType = "application/json; charset=UTF-8";
            await context.Response.Body.WriteAsync("{\"services\":{\"web\":{\"name\":\"web\",\"available\":\"all of them\""u8.ToArray()).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(status.ToJsonString())).ConfigureAwait(false);
    }

    /// <summary>
    /// GET /lease/{dseq}/{gseq}/{oseq}/service/{name}/status (router.go leaseServiceStatusHandler, cluster/kube
    /// client.go ServiceStatus): one service's status object; "kube: lease not found" (404) while the lease has no
    /// workload (no manifest yet), "kube: no service for that lease" (404) for a name the manifest lacks.
    /// </summary>
    public async Task ServiceStatusAsync(HttpContext context, LeaseKey key, string service)
    {
        var now = p.Time.GetUtcNow();
        var status = p.Leases.With(key.Owner, key.Dseq, key.Gseq, key.Oseq, l => l?.ManifestGroup is null ? null : Status(l, now));
        if (status is null)
        {
            await GatewayRouter.Text(context, 404, "kube: lease not found").ConfigureAwait(false);
            return;
        }

        if (status["services"]?[service] is not JsonObject found)
        {
            await GatewayRouter.Text(context, 404, "kube: no service for that lease").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(found.ToJsonString())).ConfigureAwait(false);
    }

    public async Task ManifestAsync(HttpContext context, LeaseKey key)
    {
        var group = p.Leases.With(key.Owner, key.Dseq, key.Gseq, key.Oseq, l => l?.ManifestGroup?.DeepClone());
        if (group is null)
        {
            await GatewayRouter.Text(context, 404, "lease not found").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(new JsonArray(group).ToJsonString())).ConfigureAwait(false);
    }

    public async Task LogsAsync(HttpContext context, LeaseKey key)
    {
        var query = context.Request.Query;
        var tail = -1L;
        if (query.TryGetValue("tail", out var t) && t.ToString().Length > 0 && (!long.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out tail) || tail < -1))
        {
            await GatewayRouter.Text(context, 400, "parameter \"tail\" contains invalid value").ConfigureAwait(false);
            return;
        }

        if (query.TryGetValue("follow", out var f) && f.ToString().Length > 0 && !bool.TryParse(f, out _) && f != "1" && f != "0")
        {
            await GatewayRouter.Text(context, 400, $"strconv.ParseBool: parsing \"{f}\": invalid syntax").ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            await GatewayRouter.Text(context, 400, "Bad Request").ConfigureAwait(false);
            return;
        }

        var now = p.Time.GetUtcNow();
        var (known, running, lines) = p.Leases.With(key.Owner, key.Dseq, key.Gseq, key.Oseq, l =>
            (l?.ManifestGroup is not null, l?.IsReady(now) == true, l?.Logs.ToList() ?? []));
        var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        if (!known)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)CloseLeaseNotFound, string.Empty, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!running)
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)CloseInternalError, "no running pods", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        foreach (var (pod, line) in tail >= 0 ? lines.TakeLast((int)Math.Min(tail, int.MaxValue)) : lines)
        {
            var frame = JsonSerializer.SerializeToUtf8Bytes(new { name = pod, message = line });
            await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, context.RequestAborted).ConfigureAwait(false);
        }

        // wsLogWriter returns when the (non-follow) streams end and its deferred ws.Close() closes the TCP connection
        // without a WebSocket close frame. Returning here does the same: Kestrel ends the upgraded connection (FIN,
        // after the frames are flushed; an Abort would reset it and could drop them).
    }

    private static JsonObject Status(LeaseRecord lease, DateTimeOffset now)
    {
        var ready = lease.IsReady(now);
        var services = new JsonObject();
        var forwarded = new JsonObject();
        foreach (var service in LeaseBook.Services(lease.ManifestGroup!))
        {
            var name = LeaseBook.Str(service["name"]) ?? "service";
            var count = LeaseBook.Int(service["count"]);
            var exposes = LeaseBook.Exposes(service).ToList();
            var http = exposes.Where(e => e.Global && e.ExternalPort == 80).ToList();
            JsonArray? uris = null;
            if (http.Count > 0)
            {
                uris = [];
                foreach (var host in http.SelectMany(e => e.Hosts).Distinct(StringComparer.Ordinal))
                {
                    uris.Add(host);
                }

                uris.Add($"{LeaseBook.Hash(lease.Key + "/" + name)[..26]}.ingress.localhost");
            }

            var up = ready ? count : 0;
            services[name] = new JsonObject
            {
                ["name"] = name,
                ["available"] = up,
                ["total"] = count,
                ["uris"] = uris,
                ["observed_generation"] = 1,
                ["replicas"] = count,
                ["updated_replicas"] = count,
                ["ready_replicas"] = up,
                ["available_replicas"] = up,
            };
            var ports = exposes.Where(e => e.Global && e.ExternalPort != 80).Select(e => (JsonNode)new JsonObject
            {
                ["host"] = "localhost",
                ["port"] = e.Port,
                ["externalPort"] = lease.NodePorts.GetValueOrDefault($"{name}/{e.Port}"),
                ["proto"] = e.Proto,
                ["name"] = name,
            }).ToArray();
            if (ports.Length > 0)
            {
                forwarded[name] = new JsonArray(ports);
            }
        }

        // Go marshals nil maps as null: forwarded_ports only when some port is forwarded, ips (leased IPs) never here.
        return new JsonObject { ["services"] = services, ["forwarded_ports"] = forwarded.Count > 0 ? forwarded : null, ["ips"] = null };
    }
}
