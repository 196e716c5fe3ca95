using k8s;
using k8s.Models;

namespace Flock.Operator.Runtime.Informers;

/// <summary>The namespace/name key of an object, as client-go's MetaNamespaceKeyFunc makes it.</summary>
public readonly record struct ObjectKey(string? Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> obj) => new(obj.Metadata.NamespaceProperty, obj.Metadata.Name);

    public static ObjectKey Parse(string key) =>
        key.IndexOf('/') is var slash and >= 0 ? new ObjectKey(key[..slash], key[(slash + 1)..]) : new ObjectKey(null, key);

    public override string ToString() => string.IsNullOrEmpty(Namespace) ? Name : $"{Namespace}/{Name}";
}
