using Flock.Crds;
using Flock.Operator.Runtime.Client;
using Flock.Operator.Workers;
using k8s;

namespace Flock.Operator;

/// <summary>
/// How the operator talks to the API server: as field manager "flock-operator", with the FLock resources' own JSON
/// options. The process uses it, and so do tools and tests that must write exactly as the operator does.
/// </summary>
public static class OperatorClient
{
    public static KubeJson Json { get; } = new(FlockJson.Options);

    public static KubeRestClient Create(IKubernetes kubernetes) => new(kubernetes, WorkerLabels.Manager, Json);
}
