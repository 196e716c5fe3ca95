using System.Text.Json.Nodes;
using Flock.Sandbox.Patching.Apply;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

public class ManagedFieldsTrackerTests
{
    private static readonly DateTimeOffset T1 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddHours(1);

    private static string FieldsV1(JsonObject obj, string manager) => JsonValues.ToJson(
        obj["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == manager)!["fieldsV1"]);

    [Fact]
    public void CreateRecordsAddedFieldsWithDotMarkersForNewMapsAndItems()
    {
        var pod = Json.Obj("""
            {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','namespace':'d','labels':{'app':'x'}},
             'spec':{'containers':[{'name':'c','image':'i','resources':{}}]}}
            """);

        var result = ManagedFieldsTracker.RecordUpdate(null, pod, "kubectl-create", "Update", "v1", T1);

        Assert.Equal(
            """{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{},"f:resources":{}}}}}""",
            FieldsV1(result, "kubectl-create"));
        var entry = result["metadata"]!["managedFields"]![0]!;
        Assert.Equal("Update", entry["operation"]!.GetValue<string>());
        Assert.Equal("v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("2025-03-01T10:00:00Z", entry["time"]!.GetValue<string>());
    }

    [Fact]
    public void AnUpdateTakesChangedFieldsFromTheApplier()
    {
        var schema = ApplySchema.Builtin("apps/v1", "Deployment");
        var applied = ServerSideApply.Apply(null, Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'replicas':1,'paused':false}}"), "flock", false, schema, T1).Object!;

        var scaled = (JsonObject)applied.DeepClone();
        scaled["spec"]!["replicas"] = 4;
        var result = ManagedFieldsTracker.RecordUpdate(applied, scaled, "hpa", "Update", "apps/v1", T2);

        Assert.Equal("""{"f:spec":{"f:paused":{}}}""", FieldsV1(result, "flock"));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldsV1(result, "hpa"));

        // The applier now conflicts when it applies its old value.
        var outcome = ServerSideApply.Apply(result, Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},'spec':{'replicas':1,'paused':false}}"), "flock", false, schema, T2);
        var conflict = Assert.Single(outcome.Conflicts);
        Assert.Equal("hpa", conflict.Manager);
        Assert.Equal("Update", conflict.Operation);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"hpa\" using apps/v1: .spec.replicas", outcome.ConflictMessage);
    }

    [Fact]
    public void AWriteThatChangesNothingLeavesManagedFieldsAlone()
    {
        var pod = Json.Obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'b'}},'spec':{'containers':[{'name':'c'}]}}");
        var created = ManagedFieldsTracker.RecordUpdate(null, pod, "one", "Update", "v1", T1);

        var again = ManagedFieldsTracker.RecordUpdate(created, (JsonObject)created.DeepClone(), "two", "Update", "v1", T2);

        Assert.Single(again["metadata"]!["managedFields"]!.AsArray());
        Assert.True(JsonValues.Equal(created["metadata"]!["managedFields"], again["metadata"]!["managedFields"]));
    }

    [Fact]
    public void RemovedFieldsLeaveTheirOwner()
    {
        var pod = Json.Obj("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'a':'1','b':'2'}}}");
        var created = ManagedFieldsTracker.RecordUpdate(null, pod, "one", "Update", "v1", T1);
        var edited = (JsonObject)created.DeepClone();
        ((JsonObject)edited["metadata"]!["labels"]!).Remove("b");
        edited["metadata"]!.AsObject().Remove("managedFields");

        var result = ManagedFieldsTracker.RecordUpdate(created, edited, "two", "Update", "v1", T2);

        Assert.Equal("""{"f:metadata":{"f:labels":{".":{},"f:a":{}}}}""", FieldsV1(result, "one"));
        Assert.DoesNotContain(result["metadata"]!["managedFields"]!.AsArray(), e => e!["manager"]!.GetValue<string>() == "two");
    }

    [Fact]
    public void ZeroObjectOfADeploymentGivesNoDotMarkersOnStructs()
    {
        var deployment = Json.Obj("""
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'d'},
             'spec':{'replicas':1,'selector':{'matchLabels':{'a':'b'}},'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}},
                     'template':{'metadata':{'labels':{'a':'b'}},'spec':{'containers':[{'name':'c','image':'i'}]}}}}
            """);

        var result = ManagedFieldsTracker.RecordUpdate(null, deployment, "kubectl-client-side-apply", "Update", "apps/v1", T1);

        Assert.Equal(
            """{"f:spec":{"f:replicas":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:a":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            FieldsV1(result, "kubectl-client-side-apply"));
    }
}
