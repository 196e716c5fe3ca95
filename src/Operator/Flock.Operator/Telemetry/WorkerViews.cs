using Flock.Crds.V1Alpha1;
using Flock.Operator.Runtime.Informers;

namespace Flock.Operator.Telemetry;

/// <summary>The resources of both kinds in the controllers' informer caches (one informer per watched namespace).</summary>
internal static class WorkerViews
{
    public static IEnumerable<WorkerView> From(IEnumerable<IInformer> informers)
    {
        foreach (var informer in informers)
        {
            switch (informer)
            {
                case Informer<FlockTrainingNode> nodes:
                    foreach (var n in nodes.Cache.List()) yield return new WorkerView(n.Metadata.NamespaceProperty, n.Metadata.Name, FlockTrainingNode.KindName, n.Status);
                    break;
                case Informer<FlockValidator> validators:
                    foreach (var v in validators.Cache.List()) yield return new WorkerView(v.Metadata.NamespaceProperty, v.Metadata.Name, FlockValidator.KindName, v.Status);
                    break;
            }
        }
    }
}
