using k8s.Models;

namespace Flock.Operator.Workers;

/// <summary>
/// The worker's environment, identical for every backend that can reference Secrets: credentials as
/// secretKeyRef, TASK_ID, GIT_URL and HF_HOME from the spec, then the user's non-secret variables.
/// </summary>
public static class WorkerEnvironment
{
    public static List<V1EnvVar> For(WorkerProfile profile)
    {
        var credentials = profile.Spec.Credentials;
        var env = new List<V1EnvVar> { FromSecret("FLOCK_API_KEY", credentials.FlockApiKey.Name, credentials.FlockApiKey.Key) };
        if (credentials.HuggingFace is { } hf)
        {
            env.Add(FromSecret("HF_TOKEN", hf.SecretName, hf.TokenKey));
            if (profile.NeedsHuggingFaceUsername)
            {
                env.Add(FromSecret("HF_USERNAME", hf.SecretName, hf.UsernameKey));
                // Newer builds of the Akash training image read HG_USERNAME; older ones and the quickstart HF_USERNAME.
                env.Add(FromSecret("HG_USERNAME", hf.SecretName, hf.UsernameKey));
            }
        }

        if (profile.LlmJudge is { } judge)
        {
            env.Add(new V1EnvVar { Name = "OPENAI_BASE_URL", Value = judge.BaseUrl });
            env.Add(FromSecret("OPENAI_API_KEY", judge.ApiKey.Name, judge.ApiKey.Key));
        }

        env.Add(new V1EnvVar { Name = "TASK_ID", Value = profile.TaskIdEnv });
        if (profile.GitUrl is { } git) env.Add(new V1EnvVar { Name = "GIT_URL", Value = git });
        env.Add(new V1EnvVar { Name = "HF_HOME", Value = Backends.InCluster.InClusterWorkloadBuilder.HuggingFaceHome });
        foreach (var extra in profile.Spec.Env ?? []) env.Add(new V1EnvVar { Name = extra.Name, Value = extra.Value ?? "" });
        return env;
    }

    /// <summary>The (secret, key) pairs the worker needs, to check they exist before starting it.</summary>
    public static IReadOnlyList<(string Secret, string Key)> SecretReferences(WorkerProfile profile) =>
        For(profile).Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .Select(e => (e.ValueFrom.SecretKeyRef.Name, e.ValueFrom.SecretKeyRef.Key)).Distinct().ToList();

    private static V1EnvVar FromSecret(string name, string secret, string key) => new()
    {
        Name = name,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } },
    };
}
