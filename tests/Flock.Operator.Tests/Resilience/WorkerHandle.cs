using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.Operator.Tests.Resilience;

using Sandbox = Flock.Operator.Tests.Integration.Sandbox;

/// <summary>One FLock resource as a test sees it through the API: create, read status, delete.</summary>
public sealed class WorkerHandle<T>(Sandbox sandbox, FlockKind<T> kind, T resource) : IWorker where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly KubeRestClient _rest = sandbox.Rest();

    public string Namespace => resource.Metadata.NamespaceProperty;

    public string Name => resource.Metadata.Name;

    /// <summary>Name of the worker's Deployment or Job prefix: NAME-trainer or NAME-validator.</summary>
    public string WorkloadName => Name + (typeof(T) == typeof(FlockValidator) ? "-validator" : "-trainer");

    public Task CreateAsync() => _rest.CreateAsync(kind.Resource, Namespace, resource, CancellationToken.None);

    public async Task<WorkerView?> ReadAsync()
    {
        var live = await _rest.TryGetAsync<T>(kind.Resource, Namespace, Name, CancellationToken.None);
        return live is null ? null : new WorkerView(live.Metadata, kind.GetStatus(live));
    }

    public Task DeleteAsync() => _rest.DeleteAsync(kind.Resource, Namespace, Name, CancellationToken.None);

    public Task PatchSpecAsync(System.Text.Json.Nodes.JsonObject spec) =>
        _rest.MergePatchAsync<T>(kind.Resource, Namespace, Name, new System.Text.Json.Nodes.JsonObject { ["spec"] = spec }, CancellationToken.None);
}

/// <summary>The kind-independent face of <see cref="WorkerHandle{T}"/>.</summary>
public interface IWorker
{
    string Namespace { get; }

    string Name { get; }

    string WorkloadName { get; }

    Task CreateAsync();

    Task<WorkerView?> ReadAsync();

    Task DeleteAsync();

    Task PatchSpecAsync(System.Text.Json.Nodes.JsonObject spec);
}

/// <summary>A resource's metadata and status at one read.</summary>
public sealed record WorkerView(V1ObjectMeta Metadata, WorkerStatus? Status)
{
    public Condition? Condition(string type) => Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Running and Ready for the current generation.</summary>
    public bool IsRunning => Status is { Phase: Phase.Running } s && s.ObservedGeneration == Metadata.Generation && Condition("Ready")?.Status == ConditionStatus.True;

    public override string ToString() =>
        $"phase {Status?.Phase}, generation {Metadata.Generation} observed {Status?.ObservedGeneration}, " +
        string.Join(", ", Status?.Conditions?.Select(c => $"{c.Type}={c.Status}/{c.Reason}") ?? []);
}
