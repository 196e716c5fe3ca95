using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Flock.Akash.Client;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.AkashProvider.Gateway;

/// <summary>
/// PUT /deployment/{dseq}/manifest (router.go createManifestHandler → manifest/manager.go): the body must decode as a
/// manifest (422); the deployment is read from chain (failure → 500); the manifest must be valid (422) and its version
/// — SHA-256 of its sorted JSON — equal the deployment's on-chain hash (422 "manifest version validation failed");
/// the provider must hold an active lease of the deployment (404 "no lease for deployment"). Accepted → 200 with an
/// empty body, and each lease's group starts (ready after the start delay). <see cref="ProviderFaults.ManifestHook"/>
/// runs when the request arrives and once the manifest is applied.
/// </summary>
internal sealed class ManifestEndpoint(ProviderContext p)
{
    public async Task PutAsync(HttpContext context, string owner, ulong dseq)
    {
        p.Counters.ManifestRequest();
        var hook = p.Faults.ManifestHook;
        if (hook is not null && !await hook(new ManifestArrival(ManifestPoint.Received, owner, dseq)).ConfigureAwait(false))
        {
            context.Abort();
            return;
        }

        JsonArray manifest;
        using (var body = new MemoryStream())
        {
            await context.Request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
            if (Decode(body.ToArray()) is not { } decoded)
            {
                await GatewayRouter.Text(context, 422, "json: cannot unmarshal into Go value of type v2beta3.Manifest").ConfigureAwait(false);
                return;
            }

            manifest = decoded;
        }

        Flock.Akash.Protos.DeploymentV1Beta4.QueryDeploymentResponse? deployment;
        try
        {
            deployment = await p.Chain.GetDeploymentAsync(owner, dseq, context.RequestAborted).ConfigureAwait(false);
        }
        catch (AkashChainException e)
        {
            await GatewayRouter.Text(context, 500, e.Message).ConfigureAwait(false);
            return;
        }

        if (deployment is null)
        {
            // The manager's fetch fails and the gRPC error goes out unmapped (500).
            await GatewayRouter.Text(context, 500, "rpc error: code = NotFound desc = deployment not found").ConfigureAwait(false);
            return;
        }

        if (Invalid(manifest) is { } problem)
        {
            await GatewayRouter.Text(context, 422, "invalid manifest: " + problem).ConfigureAwait(false);
            return;
        }

        // The simulator's own sorted encoding (SortedJson), never the operator's: a bug there must not cancel out here.
        var version = SHA256.HashData(SortedJson.Bytes(JsonSerializer.SerializeToElement(manifest)));
        if (!version.AsSpan().SequenceEqual(deployment.Deployment.Hash.Span))
        {
            await GatewayRouter.Text(context, 422, "manifest version validation failed").ConfigureAwait(false);
            return;
        }

        var groups = deployment.Groups.Select(g => g.GroupSpec.Name).ToHashSet(StringComparer.Ordinal);
        if (manifest.OfType<JsonObject>().Select(g => LeaseBook.Str(g["name"])).FirstOrDefault(n => n is null || !groups.Contains(n)) is { } unknown)
        {
            await GatewayRouter.Text(context, 422, $"manifest cross-validation error: group {unknown} not in deployment").ConfigureAwait(false);
            return;
        }

        var delay = p.Faults.StartDelay ?? p.Options.StartDelay;
        if (p.Faults.RejectManifests)
        {
            await GatewayRouter.Text(context, 422, "manifest rejected").ConfigureAwait(false);
            return;
        }

        if (p.Leases.Apply(owner, dseq, manifest, p.Time.GetUtcNow() + delay, "localhost") == 0)
        {
            await GatewayRouter.Text(context, 404, "no lease for deployment").ConfigureAwait(false);
            return;
        }

        p.Counters.ManifestAccepted();
        if (hook is not null) await hook(new ManifestArrival(ManifestPoint.Accepted, owner, dseq)).ConfigureAwait(false);
        context.Response.StatusCode = 200;
    }

    private static JsonArray? Decode(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonArray;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The structural part of Manifest.Validate: named groups with named services that have an image and a count.</summary>
    private static string? Invalid(JsonArray manifest)
    {
        if (manifest.Count == 0)
        {
            return "empty manifest";
        }

        foreach (var (node, i) in manifest.Select((n, i) => (n, i)))
        {
            if (node is not JsonObject group || string.IsNullOrEmpty(LeaseBook.Str(group["name"])))
            {
                return $"group {i}: empty name";
            }

            var services = LeaseBook.Services(group).ToList();
            if (services.Count == 0)
            {
                return $"group {LeaseBook.Str(group["name"])}: no services";
            }

            if (services.FirstOrDefault(s => s["name"] is not JsonValue || s["image"] is not JsonValue) is { } bad)
            {
                return $"group {LeaseBook.Str(group["name"])}: service without name or image";
            }
        }

        return null;
    }
}
