using System.Text.Json.Nodes;
using Flock.Sandbox.Patching;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

/// <summary>Cases mirroring k8s.io/apimachinery/pkg/util/strategicpatch/patch_test.go (mergeItem type) and Pod patches.</summary>
public class StrategicMergePatchTests
{
    /// <summary>The test type of apimachinery's fixtures.</summary>
    private static readonly PatchMeta MergeItem = PatchMeta.FromPaths(new Dictionary<string, (string, string?)>
    {
        ["mergingList"] = ("merge", "name"),
        ["mergingList[].mergingIntList"] = ("merge", null),
        ["mergingIntList"] = ("merge", null),
        ["retainKeysMap"] = ("retainKeys", null),
        ["retainKeysMergingList"] = ("merge,retainKeys", "name"),
    });

    private static readonly PatchMeta Pod = BuiltinPatchMeta.For("v1", "Pod");

    private static JsonNode Apply(string original, string patch, PatchMeta meta) =>
        StrategicMergePatch.Apply(Json.Parse(original)!, Json.Parse(patch)!, meta);

    [Fact]
    public void ContainersMergeByName()
    {
        var result = Apply(
            "{'spec':{'containers':[{'name':'app','image':'app:1'},{'name':'sidecar','image':'proxy:1'}]}}",
            "{'spec':{'containers':[{'name':'sidecar','image':'proxy:2'}]}}",
            Pod);
        Json.Exact("{'spec':{'containers':[{'name':'app','image':'app:1'},{'name':'sidecar','image':'proxy:2'}]}}", result);
    }

    [Fact]
    public void EnvMergesByNameInsideAContainer()
    {
        var result = Apply(
            "{'spec':{'containers':[{'name':'app','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}",
            "{'spec':{'containers':[{'name':'app','env':[{'name':'B','value':'3'}]}]}}",
            Pod);
        Json.Exact("{'spec':{'containers':[{'name':'app','env':[{'name':'A','value':'1'},{'name':'B','value':'3'}]}]}}", result);
    }

    [Fact]
    public void DeleteAContainerWithPatchDelete()
    {
        var result = Apply(
            "{'spec':{'containers':[{'name':'app','image':'a'},{'name':'sidecar','image':'b'}]}}",
            "{'spec':{'containers':[{'name':'sidecar','$patch':'delete'}]}}",
            Pod);
        Json.Exact("{'spec':{'containers':[{'name':'app','image':'a'}]}}", result);
    }

    [Fact]
    public void ReplaceAListWithPatchReplace()
    {
        var result = Apply(
            "{'spec':{'containers':[{'name':'app','image':'a'},{'name':'sidecar','image':'b'}]}}",
            "{'spec':{'containers':[{'name':'only','image':'c'},{'$patch':'replace'}]}}",
            Pod);
        Json.Exact("{'spec':{'containers':[{'name':'only','image':'c'}]}}", result);
    }

    [Fact]
    public void ReplaceAMapWithPatchReplace()
    {
        var result = Apply(
            "{'metadata':{'labels':{'a':'1','b':'2'}}}",
            "{'metadata':{'labels':{'c':'3','$patch':'replace'}}}",
            Pod);
        Json.Exact("{'metadata':{'labels':{'c':'3'}}}", result);
    }

    [Fact]
    public void DeleteAMapWithPatchDelete()
    {
        var result = Apply("{'metadata':{'labels':{'a':'1'},'name':'x'}}", "{'metadata':{'labels':{'$patch':'delete'}}}", Pod);
        Json.Exact("{'metadata':{'labels':{},'name':'x'}}", result);
    }

    [Fact]
    public void PatchMergeInAMapIsAnError()
    {
        var ex = Assert.Throws<PatchException>(() => Apply("{'metadata':{'labels':{}}}", "{'metadata':{'labels':{'$patch':'merge'}}}", Pod));
        Assert.StartsWith("unknown patch type: merge in map", ex.Message);
    }

    [Fact]
    public void FinalizersMergeAsASet()
    {
        var result = Apply("{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['b','c']}}", Pod);
        var finalizers = result["metadata"]!["finalizers"]!.AsArray().Select(n => n!.GetValue<string>()).ToHashSet();
        Assert.Equal(["a", "b", "c"], finalizers.Order());
        Assert.Equal(3, result["metadata"]!["finalizers"]!.AsArray().Count);
    }

    [Fact]
    public void DeleteFromPrimitiveListRemovesAFinalizer()
    {
        var result = Apply(
            "{'metadata':{'finalizers':['flock.dev/cleanup','other']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['flock.dev/cleanup']}}",
            Pod);
        Json.Exact("{'metadata':{'finalizers':['other']}}", result);
    }

    [Fact]
    public void DeleteFromPrimitiveListOfNonexistentItemDoesNotAddIt() =>
        Json.Exact("{'mergingIntList':[1,2]}", Apply("{'mergingIntList':[1,2]}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", MergeItem));

    [Fact]
    public void DeleteFromPrimitiveListOnAMissingListDoesNotAddTheList() =>
        Json.Exact("{'foo':['bar']}", Apply("{'foo':['bar']}", "{'$deleteFromPrimitiveList/mergingIntList':[3]}", MergeItem));

    [Fact]
    public void DeleteFromPrimitiveListWorksWithoutMergeStrategy() =>
        Json.Exact("{'nonMergingIntList':[1,3]}", Apply("{'nonMergingIntList':[1,2,3]}", "{'$deleteFromPrimitiveList/nonMergingIntList':[2]}", MergeItem));

    [Fact]
    public void AddAndDeleteItemsInListsOfScalarsHonourSetElementOrder() =>
        Json.Exact("{'mergingIntList':[1,2,4]}", Apply(
            "{'mergingIntList':[1,2,3]}",
            "{'$setElementOrder/mergingIntList':[1,2,4],'$deleteFromPrimitiveList/mergingIntList':[3],'mergingIntList':[4]}",
            MergeItem));

    [Fact]
    public void SetElementOrderOrdersTheMergedList() =>
        Json.Exact("{'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}", Apply(
            "{'mergingList':[{'name':'1'},{'name':'3'}]}",
            "{'$setElementOrder/mergingList':[{'name':'3'},{'name':'2'},{'name':'1'}],'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}",
            MergeItem));

    [Fact]
    public void SetElementOrderMustAgreeWithThePatchList()
    {
        var ex = Assert.Throws<PatchException>(() => Apply(
            "{'mergingList':[{'name':'1'},{'name':'3'},{'name':'2'}]}",
            "{'$setElementOrder/mergingList':[{'name':'1'},{'name':'2'},{'name':'3'}],'mergingList':[{'name':'3','value':'3'},{'name':'1','value':'1'}]}",
            MergeItem));
        Assert.Contains("doesn't match", ex.Message);
    }

    [Fact]
    public void PatchOrderIsPreservedAndServerOnlyItemsKeepTheirPlace() =>
        // "preserve the order from the patch in a merging list 2"
        Json.Exact("{'mergingList':[{'name':'2','value':'b'},{'name':'3','value':'c'},{'name':'1','value':'a'}]}", Apply(
            "{'mergingList':[{'name':'1'},{'name':'2','value':'b'},{'name':'3'}]}",
            "{'mergingList':[{'name':'3','value':'c'},{'name':'1','value':'a'}]}",
            MergeItem));

    [Fact]
    public void MissingMergeKeyIsAnError()
    {
        var ex = Assert.Throws<PatchException>(() => Apply("{'mergingList':[{'name':'1','value':'a'}]}", "{'mergingList':[{'value':'b'}]}", MergeItem));
        Assert.Contains("does not contain declared merge key: name", ex.Message);
    }

    [Fact]
    public void RetainKeysClearsFieldsNotListed() =>
        Json.Exact("{'retainKeysMap':{'name':'type2','other':'bar'}}", Apply(
            "{'retainKeysMap':{'name':'type1','value':'foo'}}",
            "{'retainKeysMap':{'$retainKeys':['name','other'],'name':'type2','other':'bar'}}",
            MergeItem));

    [Fact]
    public void RetainKeysMustListEveryPatchedField()
    {
        var ex = Assert.Throws<PatchException>(() => Apply(
            "{'retainKeysMap':{'name':'a'}}",
            "{'retainKeysMap':{'$retainKeys':['name'],'name':'b','value':'c'}}",
            MergeItem));
        Assert.Equal("invalid patch format of retainKeys", ex.Message);
        Assert.Equal(400, ex.StatusCode);
    }

    [Fact]
    public void DeploymentStrategySwitchUsesRetainKeys()
    {
        var result = StrategicMergePatch.Apply(
            Json.Obj("{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}"),
            Json.Obj("{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}"),
            BuiltinPatchMeta.For("apps/v1", "Deployment"));
        Json.Exact("{'spec':{'strategy':{'type':'Recreate'}}}", result);
    }

    [Fact]
    public void NullDeletesAKey() =>
        Json.Exact("{'metadata':{'labels':{'b':'2'}}}", Apply("{'metadata':{'labels':{'a':'1','b':'2'}}}", "{'metadata':{'labels':{'a':null}}}", Pod));

    [Fact]
    public void NullsInsideNewValuesAreDropped() =>
        Json.Exact("{'metadata':{'annotations':{'x':'1'}}}", Apply("{'metadata':{}}", "{'metadata':{'annotations':{'x':'1','y':null}}}", Pod));

    [Fact]
    public void TolerationsAreReplacedNotMerged() =>
        Json.Exact("{'spec':{'tolerations':[{'key':'b'}]}}", Apply("{'spec':{'tolerations':[{'key':'a'}]}}", "{'spec':{'tolerations':[{'key':'b'}]}}", Pod));

    [Fact]
    public void ContainerPortsMergeByContainerPort() =>
        Json.Exact("{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'web'},{'containerPort':81}]}]}}", Apply(
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80},{'containerPort':81}]}]}}",
            "{'spec':{'containers':[{'name':'a','ports':[{'containerPort':80,'name':'web'}]}]}}",
            Pod));

    [Fact]
    public void AContainerNewToTheListComesBeforeServerOnlyItemsLikeTheGoCode() =>
        Json.Exact("{'spec':{'containers':[{'name':'new'},{'name':'app'}]}}", Apply(
            "{'spec':{'containers':[{'name':'app'}]}}",
            "{'spec':{'containers':[{'name':'new'}]}}",
            Pod));

    [Fact]
    public void ConditionsOfAJobMergeByType()
    {
        var result = StrategicMergePatch.Apply(
            Json.Obj("{'status':{'conditions':[{'type':'Complete','status':'False'},{'type':'Failed','status':'False'}]}}"),
            Json.Obj("{'status':{'conditions':[{'type':'Complete','status':'True'}]}}"),
            BuiltinPatchMeta.For("batch/v1", "Job"));
        Json.Exact("{'status':{'conditions':[{'type':'Complete','status':'True'},{'type':'Failed','status':'False'}]}}", result);
    }

    [Fact]
    public void InputsAreNotModified()
    {
        var original = Json.Obj("{'spec':{'containers':[{'name':'app','image':'a'}]}}");
        var patch = Json.Obj("{'spec':{'containers':[{'name':'app','image':'b'},{'name':'x','$patch':'delete'}]}}");
        var (o, p) = (JsonValues.ToJson(original), JsonValues.ToJson(patch));
        StrategicMergePatch.Apply(original, patch, Pod);
        Assert.Equal(o, JsonValues.ToJson(original));
        Assert.Equal(p, JsonValues.ToJson(patch));
    }

    [Fact]
    public void CustomResourcesAreRefusedWith415()
    {
        Assert.False(BuiltinPatchMeta.Supports("flock.dev/v1alpha1", "Worker"));
        Assert.True(BuiltinPatchMeta.Supports("apps/v1", "Deployment"));
        Assert.True(BuiltinPatchMeta.Supports("policy/v1", "PodDisruptionBudget"));
        var ex = Assert.Throws<PatchException>(() => BuiltinPatchMeta.For("flock.dev/v1alpha1", "Worker"));
        Assert.Equal(415, ex.StatusCode);
    }

    [Fact]
    public void PodTemplatesInWorkloadsMergeContainers()
    {
        foreach (var (apiVersion, kind) in new[] { ("apps/v1", "Deployment"), ("apps/v1", "ReplicaSet"), ("batch/v1", "Job") })
        {
            var result = StrategicMergePatch.Apply(
                Json.Obj("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'1'}]}}}}"),
                Json.Obj("{'spec':{'template':{'spec':{'containers':[{'name':'b','image':'2'}]}}}}"),
                BuiltinPatchMeta.For(apiVersion, kind));
            Json.Exact("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}}}}", result);
        }
    }

    [Fact]
    public void OwnerReferencesMergeByUid() =>
        Json.Exact("{'metadata':{'ownerReferences':[{'uid':'1','name':'a'},{'uid':'2','name':'b'}]}}", Apply(
            "{'metadata':{'ownerReferences':[{'uid':'1','name':'a'},{'uid':'2','name':'old'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'2','name':'b'}]}}",
            Pod));

    [Fact]
    public void RulesOfARoleAreReplaced() =>
        Json.Exact("{'rules':[{'verbs':['get']}]}", StrategicMergePatch.Apply(
            Json.Obj("{'rules':[{'verbs':['list']},{'verbs':['watch']}]}"),
            Json.Obj("{'rules':[{'verbs':['get']}]}"),
            BuiltinPatchMeta.For("rbac.authorization.k8s.io/v1", "Role")));

    [Fact]
    public void KubectlThreeWayPatchRemovingAContainer() =>
        Json.Exact("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'}]}}}}", StrategicMergePatch.Apply(
            Json.Obj("{'spec':{'template':{'spec':{'containers':[{'name':'a','image':'1'},{'name':'b','image':'2'}]}}}}"),
            Json.Obj("{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'$patch':'delete','name':'b'}]}}}}"),
            BuiltinPatchMeta.For("apps/v1", "Deployment")));

    [Fact]
    public void KubectlThreeWayPatchSwitchingAVolumeSourceWithRetainKeys() =>
        Json.Exact("{'spec':{'volumes':[{'name':'v','configMap':{'name':'cm'}}]}}", Apply(
            "{'spec':{'volumes':[{'name':'v','emptyDir':{}}]}}",
            "{'spec':{'$setElementOrder/volumes':[{'name':'v'}],'volumes':[{'$retainKeys':['configMap','name'],'configMap':{'name':'cm'},'name':'v'}]}}",
            Pod));
}
