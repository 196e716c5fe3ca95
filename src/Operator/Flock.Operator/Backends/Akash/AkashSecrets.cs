using Flock.Akash.Crypto;
using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
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
    public async Task<Wallet> WalletAsync(WorkerProfile profile, AkashPlacement akash, CancellationToken ct)
    {
        var mnemonic = await ValueAsync(profile.Namespace, akash.AccountSecretRef.Name, akash.AccountSecretRef.Key, ct).ConfigureAwait(false);
        return Wallet.FromMnemonic(mnemonic.Trim());
    }

    /// <summary>
    /// The paying account's wallet, or why there is none in words a person can act on: the Secret or its key is
    /// missing, or the value is not a valid mnemonic (the message never quotes it).
    /// </summary>
    public async Task<(Wallet? Wallet, WorkloadProblem? Problem)> OpenWalletAsync(WorkerProfile profile, AkashPlacement akash, CancellationToken ct)
    {
        var secret = $"Secret {profile.Namespace}/{akash.AccountSecretRef.Name}";
        try
        {
            return (await WalletAsync(profile, akash, ct).ConfigureAwait(false), null);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return (null, new WorkloadProblem("SecretNotFound",
                $"{secret} (spec.placement.akash.accountSecretRef) does not exist; create it with the key {akash.AccountSecretRef.Key} holding the account's mnemonic", Fatal: true));
        }
        catch (KeyNotFoundException)
        {
            return (null, new WorkloadProblem("SecretKeyMissing", $"{secret} has no key {akash.AccountSecretRef.Key} (spec.placement.akash.accountSecretRef)", Fatal: true));
        }
        catch (InvalidMnemonicException e)
        {
            return (null, new WorkloadProblem("InvalidMnemonic", $"{secret} key {akash.AccountSecretRef.Key}: {e.Message}", Fatal: true));
        }
    }

    /// <summary>The values of the worker's secret environment, by variable name.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentAsync(WorkerProfile profile, CancellationToken ct)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        // Several variables come from one Secret (the Hugging Face user and token): each Secret is read once per pass.
        var read = new Dictionary<string, V1Secret>(StringComparer.Ordinal);
        foreach (var e in WorkerEnvironment.For(profile).Where(e => e.ValueFrom?.SecretKeyRef is not null))
        {
            var name = e.ValueFrom.SecretKeyRef.Name;
            if (!read.TryGetValue(name, out var secret)) read[name] = secret = await kube.GetAsync<V1Secret>(BuiltInKinds.Secret, profile.Namespace, name, ct).ConfigureAwait(false);
            values[e.Name] = ValueOf(secret, profile.Namespace, name, e.ValueFrom.SecretKeyRef.Key);
        }

        return values;
    }

    private async Task<string> ValueAsync(string ns, string name, string key, CancellationToken ct) =>
        ValueOf(await kube.GetAsync<V1Secret>(BuiltInKinds.Secret, ns, name, ct).ConfigureAwait(false), ns, name, key);

    private static string ValueOf(V1Secret secret, string ns, string name, string key)
    {
        if (secret.Data?.TryGetValue(key, out var bytes) == true) return System.Text.Encoding.UTF8.GetString(bytes);
        if (secret.StringData?.TryGetValue(key, out var text) == true) return text;
        throw new KeyNotFoundException($"Secret {ns}/{name} has no key {key}");
    }
}
