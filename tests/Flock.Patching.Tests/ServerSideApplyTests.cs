using System.Text.Json.Nodes;
using Flock.Sandbox.Patching;
using Flock.Sandbox.Patching.Apply;
using Flock.Sandbox.Patching.Json;

namespace Flock.Patching.Tests;

public class ServerSideApplyTests
{
    private static readonly DateTimeOffset T1 = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset T2 = T1.AddMinutes(5);
    private static readonly ApplySchema Deployments = ApplySchema.Builtin("apps/v1", "Deployment");

    private const string Deployment = """
        {'apiVersion':'apps/v1','kind':'Deployment',
         'metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},
         'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},
           'template':{'metadata':{'labels':{'app':'web'}},
             'spec':{'containers':[{'name':'web','image':'nginx:1.27','ports':[{'containerPort':80}]}]}}}}
        """;

    private static JsonObject Created(string manager = "flock", string config = Deployment)
    {
        var outcome = ServerSideApply.Apply(null, Json.Obj(config), manager, false, Deployments, T1);
        Assert.True(outcome.Succeeded);
        return Stored(outcome.Object!);
    }

    /// <summary>What the sandbox would store: the object plus server-set metadata.</summary>
    private static JsonObject Stored(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy["metadata"]!["uid"] = "u-1";
        copy["metadata"]!["resourceVersion"] = "1";
        return copy;
    }

    private static JsonArray ManagedFields(JsonObject obj) => obj["metadata"]!["managedFields"]!.AsArray();

    private static JsonObject Entry(JsonObject obj, string manager) =>
        ManagedFields(obj).Select(e => e!.AsObject()).Single(e => e["manager"]!.GetValue<string>() == manager);

    private static string FieldsV1(JsonObject obj, string manager) => JsonValues.ToJson(Entry(obj, manager)["fieldsV1"]);

    [Fact]
    public void CreateByApplyRecordsTheApplierWithExactFieldsV1()
    {
        var obj = Created();

        var entry = Entry(obj, "flock");
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("apps/v1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("2025-01-02T03:04:05Z", entry["time"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.Equal(
            """{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}}""",
            FieldsV1(obj, "flock"));
        Assert.Equal(["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"], entry.Select(p => p.Key));
        Assert.Equal(2, obj["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void ApplyingAgainWithoutAFieldRemovesIt()
    {
        var live = Created();
        var config = Json.Obj(Deployment);
        config["metadata"]!["labels"]!["tier"] = "front";
        live = Stored(ServerSideApply.Apply(live, config, "flock", false, Deployments, T2).Object!);
        Assert.Equal("front", live["metadata"]!["labels"]!["tier"]!.GetValue<string>());

        var without = Json.Obj(Deployment);
        ((JsonObject)without["spec"]!).Remove("replicas");
        var outcome = ServerSideApply.Apply(live, without, "flock", false, Deployments, T2);

        Assert.True(outcome.Succeeded);
        Assert.False(outcome.Object!["metadata"]!["labels"]!.AsObject().ContainsKey("tier"));
        Assert.False(outcome.Object!["spec"]!.AsObject().ContainsKey("replicas"));
        Assert.DoesNotContain("f:replicas", FieldsV1(outcome.Object!, "flock"));
        Assert.Equal("u-1", outcome.Object!["metadata"]!["uid"]!.GetValue<string>());
    }

    [Fact]
    public void AFieldDroppedByOneApplierStaysWhileAnotherOwnsIt()
    {
        var live = Created("a");
        live = Stored(ServerSideApply.Apply(live, Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':2}}"), "b", false, Deployments, T2).Object!);

        var without = Json.Obj(Deployment);
        ((JsonObject)without["spec"]!).Remove("replicas");
        var outcome = ServerSideApply.Apply(live, without, "a", false, Deployments, T2);

        Assert.Equal(2, outcome.Object!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Contains("f:replicas", FieldsV1(outcome.Object!, "b"));
    }

    [Fact]
    public void EqualValuesAreSharedWithoutConflict()
    {
        var live = Created("a");
        var outcome = ServerSideApply.Apply(live, Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':2}}"), "b", false, Deployments, T2);

        Assert.True(outcome.Succeeded);
        Assert.False(outcome.Changed);
        Assert.Contains("f:replicas", FieldsV1(outcome.Object!, "a"));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldsV1(outcome.Object!, "b"));
    }

    [Fact]
    public void ADifferentValueConflictsAndForceTransfersOwnership()
    {
        var live = Created("a");
        var config = Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':5}}");

        var refused = ServerSideApply.Apply(live, config, "b", false, Deployments, T2);

        Assert.False(refused.Succeeded);
        var conflict = Assert.Single(refused.Conflicts);
        Assert.Equal(("a", ".spec.replicas", "Apply"), (conflict.Manager, conflict.FieldPath, conflict.Operation));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"a\": .spec.replicas", refused.ConflictMessage);
        Assert.Equal("conflict with \"a\"", conflict.CauseMessage);

        var forced = ServerSideApply.Apply(live, config, "b", true, Deployments, T2);

        Assert.True(forced.Succeeded);
        Assert.Equal(5, forced.Object!["spec"]!["replicas"]!.GetValue<int>());
        Assert.DoesNotContain("f:replicas", FieldsV1(forced.Object!, "a"));
        Assert.Equal("""{"f:spec":{"f:replicas":{}}}""", FieldsV1(forced.Object!, "b"));
    }

    [Fact]
    public void ClientSideApplyThenServerSideApplyConflictsUnlessForced()
    {
        // kubectl apply (client-side) creates the object with an Update by kubectl-client-side-apply.
        var created = Json.Obj(Deployment);
        var live = Stored(ManagedFieldsTracker.RecordUpdate(null, created, "kubectl-client-side-apply", "Update", "apps/v1", T1));
        Assert.Equal("Update", Entry(live, "kubectl-client-side-apply")["operation"]!.GetValue<string>());

        var config = Json.Obj(Deployment);
        config["spec"]!["replicas"] = 3;
        config["spec"]!["template"]!["spec"]!["containers"]![0]!["image"] = "nginx:1.28";

        var refused = ServerSideApply.Apply(live, config, "flock-operator", false, Deployments, T2);

        Assert.False(refused.Succeeded);
        Assert.Equal(
            [".spec.replicas", ".spec.template.spec.containers[name=\"web\"].image"],
            refused.Conflicts.Select(c => c.FieldPath).Order(StringComparer.Ordinal));
        Assert.All(refused.Conflicts, c => Assert.Equal("kubectl-client-side-apply", c.Manager));
        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image",
            refused.ConflictMessage);

        var forced = ServerSideApply.Apply(live, config, "flock-operator", true, Deployments, T2);

        Assert.True(forced.Succeeded);
        var csa = FieldsV1(forced.Object!, "kubectl-client-side-apply");
        Assert.DoesNotContain("f:replicas", csa);
        Assert.DoesNotContain("f:image", csa);
        Assert.Contains("f:name", csa);
    }

    [Fact]
    public void KubectlServerSideApplyTakesOverFieldsRecordedInTheLastAppliedAnnotation()
    {
        var created = Json.Obj(Deployment);
        var annotation = JsonValues.ToJson(Json.Obj(Deployment));
        created["metadata"]!["annotations"] = new JsonObject { [ServerSideApply.LastAppliedAnnotation] = annotation };
        var live = Stored(ManagedFieldsTracker.RecordUpdate(null, created, "kubectl-client-side-apply", "Update", "apps/v1", T1));

        var config = Json.Obj(Deployment);
        config["spec"]!["replicas"] = 3;
        var outcome = ServerSideApply.Apply(live, config, "kubectl", false, Deployments, T2);

        Assert.True(outcome.Succeeded);
        Assert.Equal(3, outcome.Object!["spec"]!["replicas"]!.GetValue<int>());
        var rewritten = outcome.Object!["metadata"]!["annotations"]![ServerSideApply.LastAppliedAnnotation]!.GetValue<string>();
        Assert.Contains("\"replicas\":3", rewritten);
    }

    [Fact]
    public void KubectlServerSideApplyStillConflictsOnFieldsOthersChanged()
    {
        var created = Json.Obj(Deployment);
        created["metadata"]!["annotations"] = new JsonObject { [ServerSideApply.LastAppliedAnnotation] = JsonValues.ToJson(Json.Obj(Deployment)) };
        var live = Stored(ManagedFieldsTracker.RecordUpdate(null, created, "kubectl-client-side-apply", "Update", "apps/v1", T1));
        var edited = (JsonObject)live.DeepClone();
        edited["spec"]!["replicas"] = 4;
        live = Stored(ManagedFieldsTracker.RecordUpdate(live, edited, "kubectl-edit", "Update", "apps/v1", T2));

        var config = Json.Obj(Deployment);
        config["spec"]!["replicas"] = 3;
        var outcome = ServerSideApply.Apply(live, config, "kubectl", false, Deployments, T2);

        var conflict = Assert.Single(outcome.Conflicts);
        Assert.Equal(("kubectl-edit", ".spec.replicas", "Update"), (conflict.Manager, conflict.FieldPath, conflict.Operation));
    }

    [Fact]
    public void ListMapItemsAreOwnedPerItem()
    {
        var live = Created("a");
        var sidecar = Json.Obj("""
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},
             'spec':{'template':{'spec':{'containers':[{'name':'proxy','image':'envoy'}]}}}}
            """);
        live = Stored(ServerSideApply.Apply(live, sidecar, "b", false, Deployments, T2).Object!);

        var names = live["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["web", "proxy"], names);
        Assert.Equal(
            """{"f:spec":{"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"proxy\"}":{".":{},"f:image":{},"f:name":{}}}}}}}""",
            FieldsV1(live, "b"));

        // a re-applies its configuration: b's container stays.
        live = Stored(ServerSideApply.Apply(live, Json.Obj(Deployment), "a", false, Deployments, T2).Object!);
        Assert.Equal(2, live["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);

        // b stops applying its container: it goes.
        var empty = Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'}}");
        var outcome = ServerSideApply.Apply(live, empty, "b", false, Deployments, T2);
        Assert.Equal(["web"], outcome.Object!["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.DoesNotContain(ManagedFields(outcome.Object!), e => e!["manager"]!.GetValue<string>() == "b");
    }

    [Fact]
    public void SetItemsAndAtomicListsAreOwnedAsTheApiserverRecordsThem()
    {
        var config = Json.Obj("""
            {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','finalizers':['flock.dev/cleanup']},
             'spec':{'containers':[{'name':'c','image':'i','args':['a','b']}],'tolerations':[{'key':'k','operator':'Exists'}],
                     'nodeSelector':{'disk':'ssd'}}}
            """);
        var outcome = ServerSideApply.Apply(null, config, "flock", false, ApplySchema.Builtin("v1", "Pod"), T1);

        Assert.Equal(
            """{"f:metadata":{"f:finalizers":{"v:\"flock.dev/cleanup\"":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:args":{},"f:image":{},"f:name":{}}},"f:nodeSelector":{},"f:tolerations":{}}}""",
            FieldsV1(outcome.Object!, "flock"));
    }

    [Fact]
    public void StatusIsNeitherOwnedNorChangedOnTheMainResource()
    {
        var live = Created();
        live["status"] = new JsonObject { ["replicas"] = 1 };
        var config = Json.Obj(Deployment);
        config["status"] = new JsonObject { ["replicas"] = 9 };

        var outcome = ServerSideApply.Apply(live, config, "flock", false, Deployments, T2);

        Assert.Equal(1, outcome.Object!["status"]!["replicas"]!.GetValue<int>());
        Assert.DoesNotContain("f:status", FieldsV1(outcome.Object!, "flock"));
    }

    [Fact]
    public void ReapplyingTheSameConfigurationChangesNothing()
    {
        var live = Created();
        var outcome = ServerSideApply.Apply(live, Json.Obj(Deployment), "flock", false, Deployments, T2);

        Assert.True(outcome.Succeeded);
        Assert.False(outcome.Changed);
        Assert.Equal("2025-01-02T03:04:05Z", Entry(outcome.Object!, "flock")["time"]!.GetValue<string>());
    }

    [Fact]
    public void ManagedFieldsInTheConfigurationAreRejected()
    {
        var config = Json.Obj(Deployment);
        config["metadata"]!["managedFields"] = new JsonArray();
        var ex = Assert.Throws<PatchException>(() => ServerSideApply.Apply(null, config, "flock", false, Deployments, T1));
        Assert.Equal(400, ex.StatusCode);
        Assert.Equal("metadata.managedFields must be nil", ex.Message);
    }

    [Fact]
    public void AListMapItemWithoutItsKeyIsRejected()
    {
        var config = Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}");
        var ex = Assert.Throws<PatchException>(() => ServerSideApply.Apply(null, config, "flock", false, Deployments, T1));
        Assert.Contains("omits key field \"name\"", ex.Message);
    }

    [Fact]
    public void ApplyEntriesAreListedBeforeUpdateEntries()
    {
        var live = Stored(ManagedFieldsTracker.RecordUpdate(null, Json.Obj(Deployment), "kube-controller", "Update", "apps/v1", T1));
        var outcome = ServerSideApply.Apply(live, Json.Obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'x':'y'}}}"), "zz-applier", false, Deployments, T2);

        Assert.Equal(["zz-applier", "kube-controller"], ManagedFields(outcome.Object!).Select(e => e!["manager"]!.GetValue<string>()));
    }

    [Fact]
    public void CustomResourceSchemaFromOpenApiDrivesOwnership()
    {
        var schema = ApplySchema.FromOpenApi(Json.Obj("""
            {'type':'object','properties':{
              'spec':{'type':'object','properties':{
                'workers':{'type':'array','x-kubernetes-list-type':'map','x-kubernetes-list-map-keys':['name'],
                  'items':{'type':'object','properties':{'name':{'type':'string'},'replicas':{'type':'integer'}}}},
                'tags':{'type':'array','x-kubernetes-list-type':'set','items':{'type':'string'}},
                'selector':{'type':'object','x-kubernetes-map-type':'atomic','additionalProperties':{'type':'string'}},
                'settings':{'type':'object','additionalProperties':{'type':'string'}},
                'args':{'type':'array','items':{'type':'string'}}}},
              'status':{'type':'object','properties':{'ready':{'type':'boolean'}}}}}
            """), statusSubresource: true);
        var config = Json.Obj("""
            {'apiVersion':'flock.dev/v1alpha1','kind':'Flock','metadata':{'name':'f'},
             'spec':{'workers':[{'name':'w1','replicas':2}],'tags':['x'],'selector':{'a':'b'},'settings':{'k':'v'},'args':['--x']},
             'status':{'ready':true}}
            """);

        var outcome = ServerSideApply.Apply(null, config, "flock", false, schema, T1);

        Assert.Equal(
            """{"f:spec":{"f:args":{},"f:selector":{},"f:settings":{"f:k":{}},"f:tags":{"v:\"x\"":{}},"f:workers":{"k:{\"name\":\"w1\"}":{".":{},"f:name":{},"f:replicas":{}}}}}""",
            FieldsV1(outcome.Object!, "flock"));
        Assert.False(outcome.Object!.ContainsKey("status"));
    }
}

public class ServerSideApplyInputTests
{
    [Fact]
    public void ApplyAndRecordUpdateLeaveTheirInputsUnchanged()
    {
        var schema = ApplySchema.Builtin("v1", "ConfigMap");
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var live = ServerSideApply.Apply(null, Json.Obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','b':'2'}}"), "x", false, schema, now).Object!;
        var config = Json.Obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'3'}}");
        var (liveText, configText) = (JsonValues.ToJson(live), JsonValues.ToJson(config));

        var applied = ServerSideApply.Apply(live, config, "x", false, schema, now).Object!;
        var updated = ManagedFieldsTracker.RecordUpdate(live, applied, "y", "Update", "v1", now);

        Assert.Equal(liveText, JsonValues.ToJson(live));
        Assert.Equal(configText, JsonValues.ToJson(config));
        Json.Equal("{'a':'3'}", applied["data"]);
        Assert.NotSame(applied, updated);
    }
}
