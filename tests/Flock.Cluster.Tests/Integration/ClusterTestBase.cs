using Flock.Sandbox.ApiServer;
using Flock.Sandbox.ApiServer.Machinery;
using Flock.Sandbox.Cluster;
using k8s;
using k8s.Models;

namespace Flock.Cluster.Tests.Integration;

/// <summary>Routes kubelet log lines into the API server's LogStore, which pods/log serves.</summary>
internal sealed class LogStoreSink(LogStore store) : IPodLogSink
{
    public void Append(string @namespace, string pod, string container, string line, DateTimeOffset at) => store.Append(@namespace, pod, container, line, at);
}

/// <summary>
/// A fresh sandbox API server and simulated cluster per test, reached through KubernetesClient as
/// the operator reaches a real cluster. Delays are a few hundred milliseconds so the suite stays fast.
/// </summary>
public abstract class ClusterTestBase : IAsyncLifetime
{
    protected const string Ns = "default";
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    protected SandboxApiServer Server { get; private set; } = null!;

    protected Kubernetes Client { get; private set; } = null!;

    protected SimulatedCluster Cluster { get; private set; } = null!;

    // The cluster's own connection, as a separate component has; the cluster does not own (or dispose) it.
    private Kubernetes _clusterClient = null!;

    protected virtual ClusterOptions Options => new()
    {
        Kubelet = new KubeletOptions
        {
            StartDelay = TimeSpan.FromMilliseconds(100),
            RunDuration = TimeSpan.FromMilliseconds(200),
            CrashLoopBackOff = TimeSpan.FromMilliseconds(400),
            ImagePullBackOff = TimeSpan.FromMilliseconds(200),
            TerminationDelay = TimeSpan.FromMilliseconds(50),
        },
        VolumeBindDelay = TimeSpan.FromMilliseconds(50),
        JobBackOff = TimeSpan.FromMilliseconds(50),
        SchedulerRetryInterval = TimeSpan.FromSeconds(1),
    };

    public async Task InitializeAsync()
    {
        Server = await SandboxApiServer.StartAsync(new SandboxOptions { GarbageCollectionInterval = TimeSpan.FromMilliseconds(200) });
        Client = Server.CreateClient();
        _clusterClient = Server.CreateClient();
        Cluster = await SimulatedCluster.StartAsync(_clusterClient, Options, logSink: new LogStoreSink(Server.Logs));
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _clusterClient.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>Polls until the probe's value satisfies the condition; fails with the last value seen.</summary>
    protected static async Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> until, string what)
    {
        var end = DateTimeOffset.UtcNow + Deadline;
        T last;
        while (true)
        {
            last = await probe();
            if (until(last)) return last;
            if (DateTimeOffset.UtcNow > end) break;
            await Task.Delay(50);
        }

        Assert.Fail($"timed out waiting for {what}; last seen: {KubernetesJson.Serialize(last)}");
        return last;
    }

    protected Task<IList<V1Pod>> PodsAsync(string selector) =>
        Client.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector).ContinueWith(t => t.Result.Items, TaskScheduler.Default);

    protected async Task<IList<Corev1Event>> EventsForAsync(string name) =>
        (await Client.CoreV1.ListNamespacedEventAsync(Ns)).Items.Where(e => e.InvolvedObject?.Name == name).ToList();

    protected static V1Deployment GpuDeployment(string name, string image = "ghcr.io/flock-io/trainer:1", int gpus = 1, string strategy = "Recreate", int replicas = 1)
    {
        var labels = new Dictionary<string, string> { ["app"] = name };
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Strategy = new V1DeploymentStrategy { Type = strategy },
                Selector = new V1LabelSelector { MatchLabels = labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) },
                    Spec = new V1PodSpec
                    {
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "worker",
                                Image = image,
                                Resources = gpus == 0 ? null : new V1ResourceRequirements
                                {
                                    Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new(gpus.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
                                },
                            },
                        ],
                    },
                },
            },
        };
    }

    protected static bool IsRunningAndReady(V1Pod p) =>
        p.Status?.Phase == "Running" && p.Status.Conditions?.Any(c => c is { Type: "Ready", Status: "True" }) == true;

    protected static V1DeploymentCondition? Condition(V1Deployment d, string type) => d.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
