using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

public class TableTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-25T07:20:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static readonly JsonObject RunningNode = Obj("""
        {"apiVersion":"flock.io/v1alpha1","kind":"FlockTrainingNode",
         "metadata":{"name":"trainer-akash","namespace":"default","creationTimestamp":"2026-11-25T06:00:00Z","resourceVersion":"40","uid":"u-1"},
         "spec":{"taskId":12},
         "status":{"phase":"Running","workload":{"backend":"Akash"},"staking":{"eligible":true},
                   "akash":{"provider":"akash1xyz","price":"12.5uact"},
                   "conditions":[{"type":"Staked","status":"True","reason":"Ok"},{"type":"Ready","status":"False","reason":"LeasePending"}]}}
        """);

    private static readonly JsonObject NewNode = Obj("""
        {"apiVersion":"flock.io/v1alpha1","kind":"FlockTrainingNode",
         "metadata":{"name":"trainer-new","namespace":"default","creationTimestamp":"2026-11-25T07:10:00Z"},"spec":{"taskId":7}}
        """);

    private static string[] ColumnNames(JsonObject table) =>
        table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();

    [Fact]
    public void Crd_table_has_name_first_then_the_printer_columns_with_their_priorities()
    {
        var table = TableConverter.Convert(Custom("FlockTrainingNode"), [RunningNode], new TableOptions { Now = Now });

        Assert.Equal(["Name", "Phase", "Task", "Backend", "Staked", "Provider", "Price", "Ready", "Reason", "Age"], ColumnNames(table));
        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal("""{"name":"Name","type":"string","format":"name","description":"Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names","priority":0}""",
            columns[0]!.ToJsonString());
        var wideOnly = columns.Where(c => c!["priority"]!.GetValue<int>() > 0).Select(c => c!["name"]!.GetValue<string>());
        Assert.Equal(["Provider", "Ready", "Reason"], wideOnly);
        Assert.Equal("date", columns[^1]!["type"]!.GetValue<string>());
        Assert.Equal("Where the worker stands", columns[1]!["description"]!.GetValue<string>());
    }

    [Fact]
    public void Crd_row_evaluates_paths_filters_and_types_and_renders_dates_as_ages()
    {
        var table = TableConverter.Convert(Custom("FlockTrainingNode"), [RunningNode, NewNode], new TableOptions { Now = Now, ResourceVersion = "42" });

        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", table["apiVersion"]!.GetValue<string>());
        Assert.Equal("""{"resourceVersion":"42"}""", table["metadata"]!.ToJsonString());
        var rows = table["rows"]!.AsArray();
        Assert.Equal("""["trainer-akash","Running",12,"Akash",true,"akash1xyz","12.5uact","False","LeasePending","80m"]""",
            rows[0]!["cells"]!.ToJsonString());
        Assert.Equal("""["trainer-new",null,7,null,null,null,null,null,null,"10m"]""", rows[1]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Rows_carry_partial_object_metadata_by_default_the_object_or_nothing_on_request()
    {
        var ftn = Custom("FlockTrainingNode");

        var metadata = TableConverter.Convert(ftn, [RunningNode], new TableOptions { Now = Now })["rows"]![0]!["object"]!;
        Assert.Equal("PartialObjectMetadata", metadata["kind"]!.GetValue<string>());
        Assert.Equal("meta.k8s.io/v1", metadata["apiVersion"]!.GetValue<string>());
        Assert.Equal("u-1", metadata["metadata"]!["uid"]!.GetValue<string>());
        Assert.Null(metadata["spec"]);

        var full = TableConverter.Convert(ftn, [RunningNode], new TableOptions { Now = Now, IncludeObject = TableConverter.ParseIncludeObject("Object") });
        Assert.Equal(RunningNode.ToJsonString(), full["rows"]![0]!["object"]!.ToJsonString());

        var none = TableConverter.Convert(ftn, [RunningNode], new TableOptions { Now = Now, IncludeObject = TableConverter.ParseIncludeObject("None") });
        Assert.Equal("""{"cells":["trainer-akash","Running",12,"Akash",true,"akash1xyz","12.5uact","False","LeasePending","80m"],"object":null}""",
            none["rows"]![0]!.ToJsonString());
        Assert.Throws<ArgumentException>(() => TableConverter.ParseIncludeObject("Everything"));
    }

    [Fact]
    public void Continue_token_and_no_headers_are_honoured()
    {
        var table = TableConverter.Convert(Custom("FlockValidator"), [], new TableOptions { Continue = "abc", RemainingItemCount = 3, NoHeaders = true });

        Assert.Equal("""{"continue":"abc","remainingItemCount":3}""", table["metadata"]!.ToJsonString());
        Assert.Null(table["columnDefinitions"]);
        Assert.Empty(table["rows"]!.AsArray());
    }

    [Fact]
    public void String_columns_print_arrays_as_json_as_jsonpath_does()
    {
        var validator = Obj("""{"metadata":{"name":"v","creationTimestamp":"2026-11-25T07:00:00Z"},"spec":{"taskIds":[3,5]}}""");

        var cells = TableConverter.Convert(Custom("FlockValidator"), [validator], new TableOptions { Now = Now })["rows"]![0]!["cells"]!;

        Assert.Equal("[3,5]", cells[2]!.GetValue<string>());
    }

    [Fact]
    public void Crd_without_printer_columns_gets_the_age_column()
    {
        var bare = Custom("FlockValidator") with { PrinterColumns = null };

        var table = TableConverter.Convert(bare, [NewNode], new TableOptions { Now = Now });

        Assert.Equal(["Name", "Age"], ColumnNames(table));
        Assert.Equal("""["trainer-new","10m"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Kubectl_table_accept_header_is_recognised()
    {
        Assert.Equal("meta.k8s.io/v1", TableConverter.NegotiateTableVersion(
            "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"));
        Assert.Equal("meta.k8s.io/v1beta1", TableConverter.NegotiateTableVersion("application/json;as=Table;v=v1beta1;g=meta.k8s.io"));
        Assert.Null(TableConverter.NegotiateTableVersion("application/json"));
    }

    [Fact]
    public void Pod_table_shows_readiness_waiting_reason_restarts_and_wide_columns()
    {
        var pod = Obj("""
            {"metadata":{"name":"web-1","creationTimestamp":"2026-11-25T05:00:00Z"},
             "spec":{"nodeName":"node-a","containers":[{"name":"a","image":"nginx"},{"name":"b","image":"busybox"}]},
             "status":{"phase":"Running","podIPs":[{"ip":"10.0.0.5"}],
               "containerStatuses":[
                 {"name":"a","ready":true,"restartCount":2,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2026-11-25T07:00:00Z","exitCode":1}}},
                 {"name":"b","ready":false,"restartCount":0,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}}
            """);

        var table = TableConverter.Convert(Builtin("", "pods"), [pod], new TableOptions { Now = Now });

        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], ColumnNames(table));
        Assert.Equal(["IP", "Node", "Nominated Node", "Readiness Gates"],
            table["columnDefinitions"]!.AsArray().Where(c => c!["priority"]!.GetValue<int>() == 1).Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("""["web-1","1/2","CrashLoopBackOff","2 (20m ago)","140m","10.0.0.5","node-a","\u003Cnone\u003E","\u003Cnone\u003E"]""",
            table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"phase":"Pending","containerStatuses":[{"name":"a","state":{"waiting":{"reason":"ContainerCreating"}}}]}""", "ContainerCreating")]
    [InlineData("""{"phase":"Succeeded","containerStatuses":[{"name":"a","state":{"terminated":{"reason":"Completed","exitCode":0}}}]}""", "Completed")]
    [InlineData("""{"phase":"Running","containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":137}}}]}""", "ExitCode:137")]
    [InlineData("""{"phase":"Pending","initContainerStatuses":[{"name":"init","state":{"waiting":{"reason":"PodInitializing"}}}]}""", "Init:0/1")]
    [InlineData("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""", "SchedulingGated")]
    public void Pod_status_column_follows_the_kubectl_rules(string status, string expected)
    {
        var pod = Obj($$"""{"metadata":{"name":"p"},"spec":{"initContainers":[{"name":"init"}],"containers":[{"name":"a"}]},"status":{{status}}}""");

        var cells = TableConverter.Convert(Builtin("", "pods"), [pod], new TableOptions { Now = Now })["rows"]![0]!["cells"]!;

        Assert.Equal(expected, cells[2]!.GetValue<string>());
        Assert.Equal("<unknown>", cells[4]!.GetValue<string>());
    }

    [Fact]
    public void Terminating_pod_and_completed_pod_condition()
    {
        var deleting = Obj("""{"metadata":{"name":"p","deletionTimestamp":"2026-11-25T07:19:00Z"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Running"}}""");
        var done = Obj("""{"metadata":{"name":"q"},"spec":{"containers":[{"name":"a"}]},"status":{"phase":"Succeeded"}}""");

        var rows = TableConverter.Convert(Builtin("", "pods"), [deleting, done], new TableOptions { Now = Now })["rows"]!.AsArray();

        Assert.Equal("Terminating", rows[0]!["cells"]![2]!.GetValue<string>());
        Assert.Equal("Completed", rows[1]!["conditions"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Deployment_table_has_ready_up_to_date_available_and_wide_containers()
    {
        var deployment = Obj("""
            {"metadata":{"name":"worker","creationTimestamp":"2026-11-23T07:20:00Z"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"worker","tier":"gpu"}},
                     "template":{"spec":{"containers":[{"name":"trainer","image":"flock/trainer:1"},{"name":"sidecar","image":"busybox"}]}}},
             "status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}
            """);

        var table = TableConverter.Convert(Builtin("apps", "deployments"), [deployment], new TableOptions { Now = Now });

        Assert.Equal(["Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"], ColumnNames(table));
        Assert.Equal("""["worker","2/3",3,2,"2d","trainer,sidecar","flock/trainer:1,busybox","app=worker,tier=gpu"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Secret_configmap_namespace_lease_and_job_tables()
    {
        var secret = Obj("""{"metadata":{"name":"creds","creationTimestamp":"2026-11-25T07:19:00Z"},"type":"Opaque","data":{"a":"eA==","b":"eQ=="}}""");
        var configMap = Obj("""{"metadata":{"name":"cfg"},"data":{"a":"1"},"binaryData":{"b":"eA=="}}""");
        var ns = Obj("""{"metadata":{"name":"flock-system","creationTimestamp":"2026-11-25T07:00:00Z"},"status":{"phase":"Active"}}""");
        var lease = Obj("""{"metadata":{"name":"flock-operator"},"spec":{"holderIdentity":"pod-1"}}""");
        var job = Obj("""{"metadata":{"name":"score"},"spec":{"completions":1,"template":{"spec":{"containers":[{"name":"c","image":"i"}]}}},"status":{"succeeded":1,"startTime":"2026-11-25T07:00:00Z","completionTime":"2026-11-25T07:02:05Z","conditions":[{"type":"Complete","status":"True"}]}}""");
        var options = new TableOptions { Now = Now };

        var secretTable = TableConverter.Convert(Builtin("", "secrets"), [secret], options);
        Assert.Equal(["Name", "Type", "Data", "Age"], ColumnNames(secretTable));
        Assert.Equal("""["creds","Opaque",2,"60s"]""", secretTable["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("""["cfg",2,"\u003Cunknown\u003E"]""", TableConverter.Convert(Builtin("", "configmaps"), [configMap], options)["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("""["flock-system","Active","20m"]""", TableConverter.Convert(Builtin("", "namespaces"), [ns], options)["rows"]![0]!["cells"]!.ToJsonString());
        Assert.Equal("pod-1", TableConverter.Convert(Builtin("coordination.k8s.io", "leases"), [lease], options)["rows"]![0]!["cells"]![1]!.GetValue<string>());
        var jobTable = TableConverter.Convert(Builtin("batch", "jobs"), [job], options);
        Assert.Equal(["Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"], ColumnNames(jobTable));
        Assert.Equal(["score", "Complete", "1/1", "2m5s"], jobTable["rows"]![0]!["cells"]!.AsArray().Take(4).Select(c => c!.GetValue<string>()));
    }

    [Fact]
    public void Node_table_reports_readiness_roles_and_addresses()
    {
        var node = Obj("""
            {"metadata":{"name":"gpu-1","labels":{"node-role.kubernetes.io/control-plane":"","node-role.kubernetes.io/worker":""}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"10.1.0.4"}],
                       "nodeInfo":{"kubeletVersion":"v1.32.0","osImage":"Ubuntu","kernelVersion":"6.8","containerRuntimeVersion":"containerd://2.0"}}}
            """);

        var cells = TableConverter.Convert(Builtin("", "nodes"), [node], new TableOptions { Now = Now })["rows"]![0]!["cells"]!;

        Assert.Equal("""["gpu-1","Ready,SchedulingDisabled","control-plane,worker","\u003Cunknown\u003E","v1.32.0","10.1.0.4","\u003Cnone\u003E","Ubuntu","6.8","containerd://2.0"]""",
            cells.ToJsonString());
    }

    [Fact]
    public void Kinds_without_a_printer_use_name_and_created_at()
    {
        var crd = Obj("""{"metadata":{"name":"flocktrainingnodes.flock.io","creationTimestamp":"2026-11-25T06:00:00Z"}}""");

        var table = TableConverter.Convert(Builtin("apiextensions.k8s.io", "customresourcedefinitions"), [crd], new TableOptions { Now = Now });

        Assert.Equal(["Name", "Created At"], ColumnNames(table));
        Assert.Equal("date", table["columnDefinitions"]![1]!["type"]!.GetValue<string>());
        Assert.Equal("""["flocktrainingnodes.flock.io","2026-11-25T06:00:00Z"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Roles_print_name_and_created_at_like_any_kind_without_a_printer()
    {
        var role = ConfigObjects("config/rbac/role.yaml").Single();
        role["metadata"]!["creationTimestamp"] = "2026-11-25T06:00:00Z";

        var table = TableConverter.Convert(Builtin("rbac.authorization.k8s.io", "clusterroles"), [role], new TableOptions { Now = Now });

        Assert.Equal(["Name", "Created At"], ColumnNames(table));
        Assert.Equal("""["flock-operator","2026-11-25T06:00:00Z"]""", table["rows"]![0]!["cells"]!.ToJsonString());
    }

    [Fact]
    public void Node_whose_ready_condition_is_unknown_is_not_ready()
    {
        var node = Obj("""{"metadata":{"name":"n"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""");
        var bare = Obj("""{"metadata":{"name":"m"}}""");

        var rows = TableConverter.Convert(Builtin("", "nodes"), [node, bare], new TableOptions { Now = Now })["rows"]!.AsArray();

        Assert.Equal("NotReady", rows[0]!["cells"]![1]!.GetValue<string>());
        Assert.Equal("Unknown", rows[1]!["cells"]![1]!.GetValue<string>());
        Assert.Equal("<none>", rows[1]!["cells"]![2]!.GetValue<string>());
    }

    [Fact]
    public void Role_binding_table_names_the_role_and_wide_subjects()
    {
        var binding = ConfigObjects("config/rbac/leader_election_role_binding.yaml").Single();

        var cells = TableConverter.Convert(Builtin("rbac.authorization.k8s.io", "rolebindings"), [binding], new TableOptions { Now = Now })["rows"]![0]!["cells"]!;

        Assert.Equal("Role/flock-operator-leader-election", cells[1]!.GetValue<string>());
        Assert.Equal("flock-system/flock-operator", cells[5]!.GetValue<string>());
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 20 * 60, "3h20m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(52 * 3600, "2d4h")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(760 * 86400, "2y30d")]
    [InlineData(-5, "<invalid>")]
    public void Ages_are_formatted_like_human_duration(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
