using Flock.Sandbox.Patching;
using Flock.Sandbox.Patching.Apply;
using Flock.Sandbox.Patching.Schema;

namespace Flock.Patching.Tests;

/// <summary>Spot checks of the table against the Go struct tags of k8s.io/api v0.32.</summary>
public class BuiltinTableTests
{
    private static SchemaNode At(SchemaNode node, params string[] path)
    {
        foreach (var step in path)
        {
            node = step == "[]" ? node.ItemType : node.Child(step).Type;
        }

        return node;
    }

    [Theory]
    [InlineData("v1", "Pod", "spec.containers", "name", "name")]
    [InlineData("v1", "Pod", "spec.initContainers", "name", "name")]
    [InlineData("v1", "Pod", "spec.ephemeralContainers", "name", "name")]
    [InlineData("v1", "Pod", "spec.containers.[].env", "name", "name")]
    [InlineData("v1", "Pod", "spec.containers.[].ports", "containerPort", "containerPort,protocol")]
    [InlineData("v1", "Pod", "spec.containers.[].volumeMounts", "mountPath", "mountPath")]
    [InlineData("v1", "Pod", "spec.containers.[].volumeDevices", "devicePath", "devicePath")]
    [InlineData("v1", "Pod", "spec.volumes", "name", "name")]
    [InlineData("v1", "Pod", "spec.imagePullSecrets", "name", "name")]
    [InlineData("v1", "Pod", "spec.hostAliases", "ip", "ip")]
    [InlineData("v1", "Pod", "spec.topologySpreadConstraints", "topologyKey", "topologyKey,whenUnsatisfiable")]
    [InlineData("v1", "Pod", "status.conditions", "type", "type")]
    [InlineData("v1", "Pod", "metadata.ownerReferences", "uid", "uid")]
    [InlineData("v1", "Service", "spec.ports", "port", "port,protocol")]
    [InlineData("v1", "Node", "status.addresses", "type", "type")]
    [InlineData("v1", "Node", "status.conditions", "type", "type")]
    [InlineData("apps/v1", "Deployment", "spec.template.spec.containers", "name", "name")]
    [InlineData("apps/v1", "Deployment", "status.conditions", "type", "type")]
    [InlineData("apps/v1", "ReplicaSet", "spec.template.spec.containers.[].env", "name", "name")]
    [InlineData("apps/v1", "ReplicaSet", "status.conditions", "type", "type")]
    [InlineData("batch/v1", "Job", "spec.template.spec.volumes", "name", "name")]
    [InlineData("v1", "PersistentVolumeClaim", "status.conditions", "type", "type")]
    [InlineData("v1", "Namespace", "status.conditions", "type", "type")]
    public void MergeListsHaveTheirKeys(string apiVersion, string kind, string path, string mergeKey, string listMapKeys)
    {
        var node = At(BuiltinPatchMeta.For(apiVersion, kind).Root, path.Split('.'));
        Assert.True(node.PatchMerges);
        Assert.Equal(mergeKey, node.PatchMergeKey);
        Assert.Equal(ListKind.Map, node.ListType);
        Assert.Equal(listMapKeys, string.Join(",", node.Keys));
    }

    [Theory]
    [InlineData("v1", "Pod", "spec.tolerations")]
    [InlineData("v1", "Pod", "spec.readinessGates")]
    [InlineData("v1", "Pod", "spec.containers.[].envFrom")]
    [InlineData("v1", "Pod", "spec.containers.[].args")]
    [InlineData("v1", "Node", "spec.taints")]
    [InlineData("v1", "Namespace", "spec.finalizers")]
    [InlineData("rbac.authorization.k8s.io/v1", "Role", "rules")]
    [InlineData("rbac.authorization.k8s.io/v1", "ClusterRole", "rules")]
    [InlineData("v1", "PersistentVolumeClaim", "spec.accessModes")]
    public void AtomicListsAreReplaced(string apiVersion, string kind, string path)
    {
        var node = At(ApplySchema.Builtin(apiVersion, kind).Root, path.Split('.'));
        Assert.False(node.PatchMerges);
        Assert.Equal(ListKind.Atomic, node.EffectiveListType);
    }

    [Fact]
    public void FinalizersAreAMergedSet()
    {
        var node = At(ApplySchema.Builtin("v1", "ConfigMap").Root, "metadata", "finalizers");
        Assert.True(node.PatchMerges);
        Assert.Equal(ListKind.Set, node.ListType);
    }

    [Fact]
    public void JobConditionsMergeForPatchButAreAtomicForApply()
    {
        var node = At(ApplySchema.Builtin("batch/v1", "Job").Root, "status", "conditions");
        Assert.True(node.PatchMerges);
        Assert.Equal("type", node.PatchMergeKey);
        Assert.Equal(ListKind.Atomic, node.ListType);
    }

    [Fact]
    public void KindsWithAStatusSubresourceResetStatus()
    {
        Assert.Equal(["status"], ApplySchema.Builtin("apps/v1", "Deployment").ResetFields);
        Assert.Equal(["status"], ApplySchema.Builtin("v1", "Pod").ResetFields);
        Assert.Empty(ApplySchema.Builtin("v1", "ConfigMap").ResetFields);
        Assert.Empty(ApplySchema.Builtin("coordination.k8s.io/v1", "Lease").ResetFields);
    }
}
