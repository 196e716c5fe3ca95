using k8s;
using k8s.KubeConfigModels;

namespace Flock.KubectlPlugin.Kube;

/// <summary>
/// The cluster and namespace kubectl would use for the same flags: --kubeconfig, else $KUBECONFIG (a list of
/// files, merged), else ~/.kube/config, else the in-cluster service account; --context, else the current
/// context; -n, else the context's namespace, else "default".
/// </summary>
public sealed class KubeConnection
{
    private KubeConnection(KubernetesClientConfiguration configuration, string @namespace)
    {
        Configuration = configuration;
        Namespace = @namespace;
    }

    public KubernetesClientConfiguration Configuration { get; }

    /// <summary>The namespace commands work in unless told all namespaces.</summary>
    public string Namespace { get; }

    public Kubernetes Client() => new(Configuration);

    public static KubeConnection Open(string? kubeconfig, string? context, string? @namespace)
    {
        var configuration = Load(kubeconfig, context);
        return new KubeConnection(configuration, string.IsNullOrEmpty(@namespace) ? configuration.Namespace ?? "default" : @namespace);
    }

    private static KubernetesClientConfiguration Load(string? kubeconfig, string? context)
    {
        var files = !string.IsNullOrEmpty(kubeconfig)
            ? [kubeconfig]
            : (Environment.GetEnvironmentVariable("KUBECONFIG") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        if (files.Length == 0)
        {
            var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
            if (File.Exists(home)) files = [home];
            else if (KubernetesClientConfiguration.IsInCluster() && context is null) return KubernetesClientConfiguration.InClusterConfig();
            else throw new PluginException("no kubeconfig: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config");
        }

        var existing = files.Where(File.Exists).Select(f => new FileInfo(f)).ToArray();
        if (!string.IsNullOrEmpty(kubeconfig) && existing.Length == 0) throw new PluginException($"kubeconfig {kubeconfig} does not exist");
        if (existing.Length == 0) throw new PluginException($"none of the kubeconfig files in KUBECONFIG exist: {string.Join(", ", files)}");
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigObject(Merge(existing), context);
        }
        catch (k8s.Exceptions.KubeConfigException e)
        {
            throw new PluginException($"kubeconfig: {e.Message}");
        }
    }

    /// <summary>
    /// kubectl's merge of the KUBECONFIG list: the first file that sets current-context decides it, and of
    /// clusters, users and contexts with the same name the first one wins.
    /// </summary>
    private static K8SConfiguration Merge(FileInfo[] files)
    {
        var configs = files.Select(f => KubernetesClientConfiguration.LoadKubeConfig(f, useRelativePaths: true)).ToList();
        if (configs.Count == 1) return configs[0];
        return new K8SConfiguration
        {
            ApiVersion = "v1",
            Kind = "Config",
            CurrentContext = configs.Select(c => c.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c)),
            Clusters = configs.SelectMany(c => c.Clusters ?? []).DistinctBy(c => c.Name).ToList(),
            Users = configs.SelectMany(c => c.Users ?? []).DistinctBy(u => u.Name).ToList(),
            Contexts = configs.SelectMany(c => c.Contexts ?? []).DistinctBy(c => c.Name).ToList(),
        };
    }
}
