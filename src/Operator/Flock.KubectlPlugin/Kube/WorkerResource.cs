using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using k8s;
using k8s.Models;

namespace Flock.KubectlPlugin.Kube;

/// <summary>A FlockTrainingNode or FlockValidator, with what both kinds share.</summary>
public sealed record WorkerResource(IKubernetesObject<V1ObjectMeta> Object, WorkerProfile Profile, WorkerStatus? Status)
{
    public string Kind => Profile.Kind;
    public string Name => Object.Metadata.Name;
    public string Namespace => Object.Metadata.NamespaceProperty;
    public WorkerSpec Spec => Profile.Spec;

    public static WorkerResource Of(FlockTrainingNode node) => new(node, WorkerProfile.For(node), node.Status);

    public static WorkerResource Of(FlockValidator validator) => new(validator, WorkerProfile.For(validator), validator.Status);
}
