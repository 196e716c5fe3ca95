using Flock.Operator.Workers;

namespace Flock.KubectlPlugin.Sdl;

/// <summary>
/// Stand-ins for the secret environment values the operator puts into the SDL it deploys. The plugin never
/// reads Secrets: each value is shown as the Secret and key it would come from.
/// </summary>
public static class SecretPlaceholders
{
    /// <summary>"&lt;secret flock-credentials/api-key&gt;"</summary>
    public static string For(string secret, string key) => $"<secret {secret}/{key}>";

    /// <summary>A placeholder for every secret variable of the worker, by variable name.</summary>
    public static IReadOnlyDictionary<string, string> Of(WorkerProfile profile) =>
        WorkerEnvironment.For(profile)
            .Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .ToDictionary(e => e.Name, e => For(e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key), StringComparer.Ordinal);
}
