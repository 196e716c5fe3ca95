using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Backends.Akash;

/// <summary>
/// Reads what an Akash worker needs from its Secrets at the moment it is used: the paying account's
/// mnemonic (turned into a wallet that lives for one pass) and the worker's secret environment (which
/// goes into the manifest only the leasing provider receives). Nothing read here is kept or logged.
/// </summary>
public sealed class AkashSecrets(KubeRestClient kube)
{
    private static readonly ResourceKind Secrets = new("", "v1", "secrets", "Secret");

    public async Task<Wallet> WalletAsync(WorkerProfile profile, AkashPlacement akash, CancellationToken ct)
    {
        var mnemonic = await ValueAsync(profile.Namespace, akash.AccountSecretRef.Name, akash.AccountSecretRef.Key, ct).ConfigureAwait(false);
        return Wallet.FromMnemonic(mnemonic.Trim());
    }

    /// <summary>The values of the worker's secret environment, by variable name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(WorkerProfile profile, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var e in WorkerEnvironment.For(profile).Where(e => e.ValueFrom?.SecretKeyRef is not null))
        {
            values[e.Name] = await ValueAsync(profile.Namespace, e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key, ct).ConfigureAwait(false);
        }

        return values;
    }

    private async Task<string> ValueAsync(string ns, string name, string key, CancellationToken ct)
    {
        var secret = await kube.GetAsync<V1Secret>(Secrets, ns, name, ct).ConfigureAwait(false);
        if (secret.Data?.TryGetValue(key, out var bytes) == true) return System.Text.Encoding.UTF8.GetString(bytes);
        if (secret.StringData?.TryGetValue(key, out var text) == true) return text;
        throw new KeyNotFoundException($"Secret {ns}/{name} has no key {key}");
    }
}
