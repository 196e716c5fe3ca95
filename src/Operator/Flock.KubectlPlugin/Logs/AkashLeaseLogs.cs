using System.Text;
using Flock.Akash.Client;
using Flock.Akash.Crypto;
using Flock.Akash.ProviderApi;
using Flock.KubectlPlugin.Kube;
using k8s;
using k8s.Autorest;

namespace Flock.KubectlPlugin.Logs;

/// <summary>
/// The logs of a worker on Akash, from its provider (GET /lease/{dseq}/{gseq}/{oseq}/logs over the provider's pinned
/// HTTPS, with an ES256K JWT of the paying account naming only that provider, scope "logs"). The account's key comes from the resource's
/// accountSecretRef, read with the user's own rights, and lives only for this call; the node comes from --akash-node
/// (or $AKASH_GRPC_URL).
/// </summary>
public static class AkashLeaseLogs
{
    public static async Task<int> WriteAsync(KubeConnection connection, WorkerResource resource, string? node, string chainId, int? tail,
        TextWriter output, CancellationToken ct)
    {
        var akash = resource.Status?.Akash;
        if (akash is not { Provider: { } provider, Dseq: { } dseq, Gseq: { } gseq, Oseq: { } oseq })
        {
            throw new PluginException($"{resource.Kind} {resource.Namespace}/{resource.Name} has no active Akash lease yet (phase {resource.Status?.Phase?.ToString() ?? "unknown"}).");
        }

        node ??= Environment.GetEnvironmentVariable("AKASH_GRPC_URL");
        if (string.IsNullOrWhiteSpace(node) || !Uri.TryCreate(node, UriKind.Absolute, out var nodeUri))
        {
            throw new PluginException($"{resource.Kind} {resource.Namespace}/{resource.Name} runs on Akash provider {provider}: give an Akash node to find it with --akash-node URL (or $AKASH_GRPC_URL), e.g. the operator's akash.grpcUrl.");
        }

        using var wallet = await WalletAsync(connection, resource, ct);
        using var chain = new AkashChainClient(new AkashClientOptions(nodeUri, chainId));
        using var providers = new ProviderClient();
        try
        {
            var endpoint = await ProviderEndpoint.ResolveAsync(chain, provider, ct);
            var lines = await providers.GetLogsAsync(endpoint, new LeaseId((ulong)dseq, (uint)gseq, (uint)oseq), ProviderAuth.Jwt(wallet, [JwtScopes.Logs]), tail ?? 1000, ct);
            foreach (var line in lines) await output.WriteLineAsync($"[{line.Name}] {line.Message}".AsMemory(), ct);
            return 0;
        }
        catch (ProviderException e)
        {
            throw new PluginException($"provider {provider} did not give the logs of deployment {dseq} ({e.Kind}): {e.Message}");
        }
        catch (AkashChainException e)
        {
            throw new PluginException($"the Akash node {nodeUri} could not be asked about provider {provider}: {e.Message}");
        }
    }

    private static async Task<Wallet> WalletAsync(KubeConnection connection, WorkerResource resource, CancellationToken ct)
    {
        var reference = resource.Spec.Placement.Akash?.AccountSecretRef
            ?? throw new PluginException($"{resource.Kind} {resource.Namespace}/{resource.Name} has no placement.akash.accountSecretRef.");
        using var client = connection.Client();
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(reference.Name, resource.Namespace, cancellationToken: ct);
            if (secret.Data is null || !secret.Data.TryGetValue(reference.Key, out var bytes))
            {
                throw new PluginException($"Secret {resource.Namespace}/{reference.Name} has no key {reference.Key}.");
            }

            return Wallet.FromMnemonic(Encoding.UTF8.GetString(bytes).Trim());
        }
        catch (HttpOperationException e)
        {
            throw new PluginException($"reading Secret {resource.Namespace}/{reference.Name} (the Akash account, needed to sign the provider request) failed ({(int)e.Response.StatusCode}); provider logs need read access to it.");
        }
    }
}
