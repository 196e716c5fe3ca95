using Flock.Crds.V1Alpha1;
using Flock.Operator.Backends.InCluster;
using Flock.Operator.FlockTasks;
using Flock.Operator.Staking;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Workers;
using k8s.Models;

namespace Flock.Operator.Controllers;

/// <summary>
/// Wires a controller per kind on shared informers: the kind itself, its owned Deployments and cache
/// claims, the worker pods (mapped back by their instance label), and Secrets through an index of
/// the Secrets each resource references, so a Secret that appears or rotates reconciles at once.
/// </summary>
public sealed class WorkerControllerSetup(TaskTracker? tasks = null, StakeTracker? stakes = null, StakingOptions? staking = null,
    Backends.Akash.AkashBackend? akash = null) : IControllerSetup
{
    private const string TaskIndex = "flock-task-ids";
    private const string SecretIndex = "flock-secrets";

    public IEnumerable<IRunnableController> Build(ControllerContext context, string? @namespace)
    {
        var secrets = context.Informers.Get<V1Secret>(BuiltInKinds.Secret, @namespace, transform: WithoutValues);
        var deployments = context.Informers.Get<V1Deployment>(BuiltInKinds.Deployment, @namespace, InClusterBackend.ChildSelector);
        var claims = context.Informers.Get<V1PersistentVolumeClaim>(BuiltInKinds.PersistentVolumeClaim, @namespace, InClusterBackend.ChildSelector);
        var pods = context.Informers.Get<V1Pod>(BuiltInKinds.Pod, @namespace, InClusterBackend.ChildSelector);
        var jobs = context.Informers.Get<V1Job>(BuiltInKinds.Job, @namespace, InClusterBackend.ChildSelector);
        if (!pods.Cache.HasIndex(InClusterBackend.PodsByInstanceIndex)) pods.Cache.AddIndex(InClusterBackend.PodsByInstanceIndex, InClusterBackend.PodInstanceKeys);
        if (!jobs.Cache.HasIndex(InClusterBackend.ByInstanceIndex)) jobs.Cache.AddIndex(InClusterBackend.ByInstanceIndex, j => InClusterBackend.InstanceKeys(j.Metadata));
        var backend = new InClusterBackend(context.Client, deployments, claims, pods, jobs);

        yield return Build(FlockKinds.TrainingNode, "flock-training-node", context, @namespace, secrets, deployments, claims, pods, jobs, backend);
        yield return Build(FlockKinds.Validator, "flock-validator", context, @namespace, secrets, deployments, claims, pods, jobs, backend);
    }

    /// <summary>
    /// The cache keeps a Secret's name, keys and resourceVersion (all the reconciler checks), never its
    /// values: a value the operator needs is read at the moment it is used.
    /// </summary>
    public static V1Secret WithoutValues(V1Secret secret)
    {
        var keys = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).Distinct();
        secret.Data = keys.ToDictionary(k => k, _ => Array.Empty<byte>());
        secret.StringData = null;
        return secret;
    }

    private Controller<T> Build<T>(FlockKind<T> kind, string appName, ControllerContext context, string? @namespace,
        Informer<V1Secret> secrets, Informer<V1Deployment> deployments, Informer<V1PersistentVolumeClaim> claims, Informer<V1Pod> pods,
        Informer<V1Job> jobs, InClusterBackend backend) where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var resources = context.Informers.Get<T>(kind.Resource, @namespace);
        resources.Cache.AddIndex(SecretIndex, r => WorkerEnvironment.SecretReferences(kind.Profile(r))
            .Select(s => $"{r.Metadata.NamespaceProperty}/{s.Secret}").Distinct());
        resources.Cache.AddIndex(TaskIndex, r => kind.Profile(r).TaskIds.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        IReadOnlyList<Backends.IWorkerBackend> backends = akash is null ? [backend] : [backend, akash];
        var observer = new WorkerObserver<T>(kind, resources, secrets, context.Client, backends, tasks, stakes, staking);
        var reconciler = new WorkerReconciler<T>(kind, context, resources, observer, backends);
        var name = @namespace is null ? appName : $"{appName}/{@namespace}";
        var controller = new Controller<T>(name, resources, reconciler,
                new ControllerOptions { Workers = context.Options.Workers }, context.Loggers.CreateLogger($"Controller.{kind.Resource.Kind}"), context.Time,
                observer: context.Observer)
            .Owns(deployments, kind.Resource.Kind)
            .Owns(claims, kind.Resource.Kind)
            .Owns(jobs, kind.Resource.Kind)
            .Watches(pods, pod => pod.Metadata.Label(WorkerLabels.Name) == appName && pod.Metadata.Label(WorkerLabels.Instance) is { } instance
                ? [new ObjectKey(pod.Metadata.NamespaceProperty, instance)]
                : [])
            .Watches(secrets, secret => resources.Cache.ByIndex(SecretIndex, $"{secret.Metadata.NamespaceProperty}/{secret.Metadata.Name}").Select(ObjectKey.Of));

        // A task that changes (phase ends, API down or back) reconciles every resource working on it.
        if (tasks is not null)
        {
            tasks.TrackFrom(() => resources.Cache.List().SelectMany(r => kind.Profile(r).TaskIds));
            controller.WatchesSource(tasks.Changes, id =>
                resources.Cache.ByIndex(TaskIndex, id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(ObjectKey.Of));
        }

        // A stake that changes on chain reconciles the resources of that wallet on that task.
        if (stakes is not null && staking is not null)
        {
            stakes.TrackFrom(() => resources.Cache.List().SelectMany(r => WorkerReconciler<T>.StakeKeys(kind.Profile(r), staking)));
            controller.WatchesSource(stakes.Changes, key =>
                resources.Cache.ByIndex(TaskIndex, key.TaskId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    .Where(resource => string.Equals(kind.Profile(resource).Spec.Staking.Address, key.Address, StringComparison.OrdinalIgnoreCase))
                    .Select(ObjectKey.Of));
        }

        return controller;
    }
}
