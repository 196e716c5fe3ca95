using System.Globalization;
using System.Text;
using System.Text.Json;
using Flock.Sandbox.AkashProvider.Gateway.Jwt;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// The provider gateway's routes (provider gateway/rest/router.go): /version, /address, /status without credentials;
/// PUT /deployment/{dseq}/manifest, GET /lease/{dseq}/{gseq}/{oseq}/{status,manifest,logs} and
/// GET /lease/{dseq}/{gseq}/{oseq}/service/{name}/status for the owner, with the middleware order of the real router
/// (authenticate, provider, owner, ids, scope; the service status route has no scope check there). Unmatched paths
/// get gorilla/mux's "404 page not found", a wrong method 405.
/// </summary>
internal sealed class GatewayRouter(ProviderContext p, GatewayAuth auth, ManifestEndpoint manifests, LeaseEndpoints leases, ProviderStatusEndpoint status)
{
    public async Task HandleAsync(HttpContext context)
    {
        if (p.Faults.Unresponsive)
        {
            // A wedged provider: the connection is taken and nothing ever comes back; only the client giving up ends it.
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The client went away.
            }

            return;
        }

        var segments = context.Request.Path.Value?.Trim('/').Split('/') ?? [];
        var method = context.Request.Method;
        var route = Match(segments);
        if (route is null)
        {
            await Text(context, 404, "404 page not found").ConfigureAwait(false);
            return;
        }

        if (method != route.Value.Method)
        {
            context.Response.StatusCode = 405;
            return;
        }

        // Every matched route runs the authentication middleware first, even the public ones.
        var (claims, error) = await auth.AuthenticateAsync(context).ConfigureAwait(false);
        if (error is not null)
        {
            await AuthFailure(context, error).ConfigureAwait(false);
            return;
        }

        switch (route.Value.Name)
        {
            case "address":
                await Json(context, 200, new { address = p.Address }).ConfigureAwait(false);
                return;
            case "version":
                await Json(context, 200, new { akash = new { version = "sandbox", commit = "simulated" }, kube = (object?)null }).ConfigureAwait(false);
                return;
            case "status":
                await status.GetAsync(context).ConfigureAwait(false);
                return;
        }

        // authorizeProviderMiddleware + requireOwner.
        if (claims is null || !claims.ForProvider(p.Address) || !claims.HasOwner())
        {
            await AuthFailure(context, AuthError.Unauthorized).ConfigureAwait(false);
            return;
        }

        if (!ulong.TryParse(segments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var dseq))
        {
            await Text(context, 400, $"strconv.ParseUint: parsing \"{segments[1]}\": invalid syntax").ConfigureAwait(false);
            return;
        }

        // The owner of the path is the issuer as an address prints it (requestOwner(req).String()).
        if (route.Value.Name == "manifest")
        {
            // requireDeploymentID, then requireEndpointScopeForDeploymentID(send-manifest).
            if (!claims.ForDeployment(claims.Owner, dseq, p.Address) || !claims.ForDeploymentScope(claims.Owner, dseq, p.Address, PermissionScope.SendManifest))
            {
                await AuthFailure(context, AuthError.Unauthorized).ConfigureAwait(false);
                return;
            }

            await manifests.PutAsync(context, claims.Owner, dseq).ConfigureAwait(false);
            return;
        }

        if (!uint.TryParse(segments[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gseq) || !uint.TryParse(segments[3], NumberStyles.None, CultureInfo.InvariantCulture, out var oseq))
        {
            await Text(context, 400, "invalid lease path").ConfigureAwait(false);
            return;
        }

        var lease = new LeaseKey(claims.Owner, dseq, gseq, oseq);

        // requireLeaseID (the service status subrouter stops there: requireService, no scope middleware).
        if (!claims.ForLease(lease, p.Address))
        {
            await AuthFailure(context, AuthError.Unauthorized).ConfigureAwait(false);
            return;
        }

        if (route.Value.Name == "service-status")
        {
            await leases.ServiceStatusAsync(context, lease, segments[5]).ConfigureAwait(false);
            return;
        }

        var scope = route.Value.Name switch
        {
            "lease-status" => PermissionScope.Status,
            "lease-manifest" => PermissionScope.GetManifest,
            _ => PermissionScope.Logs,
        };

        // requireEndpointScopeForLeaseID(scope).
        if (!claims.ForLeaseScope(lease, p.Address, scope))
        {
            await AuthFailure(context, AuthError.Unauthorized).ConfigureAwait(false);
            return;
        }

        await (route.Value.Name switch
        {
            "lease-status" => leases.StatusAsync(context, lease),
            "lease-manifest" => leases.ManifestAsync(context, lease),
            _ => leases.LogsAsync(context, lease),
        }).ConfigureAwait(false);
    }

    private static (string Name, string Method)? Match(string[] s) => s switch
    {
        ["address"] => ("address", "GET"),
        ["version"] => ("version", "GET"),
        ["status"] => ("status", "GET"),
        ["deployment", _, "manifest"] => ("manifest", "PUT"),
        ["lease", _, _, _, "status"] => ("lease-status", "GET"),
        ["lease", _, _, _, "manifest"] => ("lease-manifest", "GET"),
        ["lease", _, _, _, "logs"] => ("lease-logs", "GET"),
        ["lease", _, _, _, "service", { Length: > 0 }, "status"] => ("service-status", "GET"),
        _ => null,
    };

    internal static Task AuthFailure(HttpContext context, AuthError error) =>
        Json(context, error.Status, new { message = error.Message });

    internal static async Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body)).ConfigureAwait(false);
    }

    /// <summary>Go's http.Error: text/plain, the message and a newline.</summary>
    internal static async Task Text(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(message + "\n")).ConfigureAwait(false);
    }
}

/// <summary>owner/dseq/gseq/oseq of a lease on this provider.</summary>
internal readonly record struct LeaseKey(string Owner, ulong Dseq, uint Gseq, uint Oseq);
