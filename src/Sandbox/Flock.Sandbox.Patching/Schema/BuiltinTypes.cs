using System.Text.Json.Nodes;
using static Flock.Sandbox.Patching.Schema.SchemaNode;

namespace Flock.Sandbox.Patching.Schema;

/// <summary>One built-in kind: its type tree and the facts the apiserver uses around patching it.</summary>
/// <param name="Root">The type tree (from the Go types' json, patchStrategy, patchMergeKey and +listType/+listMapKey/+mapType/+structType markers).</param>
/// <param name="HasStatusSubresource">Whether writes to the main resource leave .status alone (and apply never owns it).</param>
/// <param name="ZeroJson">The Go zero value of the type as the apiserver serialises it; field ownership of a create is the diff from this.</param>
public sealed record BuiltinKind(SchemaNode Root, bool HasStatusSubresource, string ZeroJson);

/// <summary>
/// The type table for the built-in kinds the sandbox serves, transcribed from k8s.io/api v0.32
/// (core/v1, apps/v1, batch/v1, rbac/v1, coordination/v1) and k8s.io/apimachinery meta/v1 struct tags.
/// Lists that are not spelled out are atomic for apply and replaced by strategic merge patch, which is
/// what their Go tags say (+listType=atomic or no patchStrategy). Structs not spelled out are "loose":
/// their keys are fields.
/// </summary>
public static class BuiltinTypes
{
    private static readonly Dictionary<string, JsonNode> TcpDefault = new(StringComparer.Ordinal) { ["protocol"] = JsonValue.Create("TCP") };

    /// <summary>meta/v1 ObjectMeta.</summary>
    public static SchemaNode ObjectMeta { get; } = Struct(
        ("labels", Map()),
        ("annotations", Map()),
        // +listType=set, patchStrategy:"merge"
        ("finalizers", SetList()),
        // +listType=map +listMapKey=uid, patchStrategy:"merge" patchMergeKey:"uid"; OwnerReference is +structType=atomic
        ("ownerReferences", MapList("uid", AtomicStruct())),
        // +listType=atomic
        ("managedFields", AtomicList()));

    /// <summary>meta/v1 LabelSelector (+structType=atomic).</summary>
    private static SchemaNode LabelSelector => AtomicStruct();

    private static SchemaNode ResourceRequirements => Struct(
        ("limits", Map()),
        ("requests", Map()),
        // +listType=map +listMapKey=name, no patchStrategy: strategic merge patch replaces it
        ("claims", new SchemaNode { Kind = SchemaKind.List, ListType = ListKind.Map, Keys = ["name"], Items = Struct() }));

    private static SchemaNode EnvVar => Struct(
        ("valueFrom", Struct(
            // ObjectFieldSelector, ResourceFieldSelector, ConfigMapKeySelector, SecretKeySelector are +structType=atomic
            ("fieldRef", AtomicStruct()),
            ("resourceFieldRef", AtomicStruct()),
            ("configMapKeyRef", AtomicStruct()),
            ("secretKeyRef", AtomicStruct()))));

    /// <summary>core/v1 Container (EphemeralContainerCommon has the same tags).</summary>
    public static SchemaNode Container { get; } = Struct(
        // +listType=map +listMapKey=containerPort +listMapKey=protocol; patchMergeKey:"containerPort"; protocol +default="TCP"
        ("ports", MapList("containerPort", keys: ["containerPort", "protocol"], defaults: TcpDefault)),
        ("env", MapList("name", EnvVar)),
        ("volumeMounts", MapList("mountPath")),
        ("volumeDevices", MapList("devicePath")),
        ("resources", ResourceRequirements));
    // command, args, envFrom, resizePolicy: +listType=atomic (the default here).

    private static SchemaNode Volume => Struct(
        ("csi", Struct(("volumeAttributes", Map()))),
        ("flexVolume", Struct(("options", Map()))),
        ("persistentVolumeClaim", Struct()),
        ("secret", Struct()),
        ("configMap", Struct()));

    /// <summary>core/v1 PodSpec.</summary>
    public static SchemaNode PodSpec { get; } = Struct(
        // patchStrategy:"merge,retainKeys" patchMergeKey:"name", +listType=map +listMapKey=name
        ("volumes", MapList("name", Volume, strategy: "merge,retainKeys")),
        ("initContainers", MapList("name", Container)),
        ("containers", MapList("name", Container)),
        ("ephemeralContainers", MapList("name", Container)),
        // +mapType=atomic
        ("nodeSelector", Map(atomic: true)),
        // items are LocalObjectReference (+structType=atomic)
        ("imagePullSecrets", MapList("name", AtomicStruct())),
        // tolerations, readinessGates: +listType=atomic, no patchStrategy (the default here)
        ("hostAliases", MapList("ip")),
        // +listType=map +listMapKey=topologyKey +listMapKey=whenUnsatisfiable; patchMergeKey:"topologyKey"
        ("topologySpreadConstraints", MapList("topologyKey", Struct(("labelSelector", LabelSelector)), keys: ["topologyKey", "whenUnsatisfiable"])),
        ("schedulingGates", MapList("name")),
        ("resourceClaims", MapList("name", strategy: "merge,retainKeys")),
        ("overhead", Map()),
        ("affinity", Struct(
            // NodeSelector is +structType=atomic
            ("nodeAffinity", Struct(("requiredDuringSchedulingIgnoredDuringExecution", AtomicStruct()))))));

    private static SchemaNode PodStatus => Struct(
        ("conditions", MapList("type")),
        // patchStrategy:"merge" patchMergeKey:"ip" but +listType=atomic
        ("hostIPs", MergeButAtomicList("ip")),
        ("podIPs", MapList("ip")),
        ("resourceClaimStatuses", MapList("name", strategy: "merge,retainKeys")));
    // initContainerStatuses, containerStatuses, ephemeralContainerStatuses: +listType=atomic.

    private static SchemaNode PodTemplateSpec => Struct(("metadata", ObjectMeta), ("spec", PodSpec));

    private static SchemaNode Root(params (string Name, SchemaNode Type)[] fields) =>
        Struct([("apiVersion", Scalar), ("kind", Scalar), ("metadata", ObjectMeta), .. fields]);

    private static SchemaNode ConditionsStatus(params (string Name, SchemaNode Type)[] more) =>
        Struct([("conditions", MapList("type")), .. more]);

    private static SchemaNode JobSpec => Struct(("selector", LabelSelector), ("template", PodTemplateSpec));

    private const string PodTemplateZero = "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"containers\":null}}";

    private static readonly Dictionary<string, BuiltinKind> Kinds = new(StringComparer.Ordinal)
    {
        ["v1/Pod"] = new(Root(("spec", PodSpec), ("status", PodStatus)), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"containers\":null},\"status\":{}}"),
        ["v1/PodTemplate"] = new(Root(("template", PodTemplateSpec)), false,
            "{\"metadata\":{\"creationTimestamp\":null},\"template\":" + PodTemplateZero + "}"),
        ["v1/Service"] = new(Root(
                ("spec", Struct(
                    // +listType=map +listMapKey=port +listMapKey=protocol; patchMergeKey:"port"; protocol +default="TCP"
                    ("ports", MapList("port", keys: ["port", "protocol"], defaults: TcpDefault)),
                    // +mapType=atomic
                    ("selector", Map(atomic: true)))),
                ("status", ConditionsStatus())), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{},\"status\":{\"loadBalancer\":{}}}"),
        ["v1/ConfigMap"] = new(Root(("data", Map()), ("binaryData", Map())), false, "{\"metadata\":{\"creationTimestamp\":null}}"),
        ["v1/Secret"] = new(Root(("data", Map()), ("stringData", Map())), false, "{\"metadata\":{\"creationTimestamp\":null}}"),
        ["v1/ServiceAccount"] = new(Root(("secrets", MapList("name", AtomicStruct()))), false, "{\"metadata\":{\"creationTimestamp\":null}}"),
        ["v1/Namespace"] = new(Root(
                // NamespaceSpec.finalizers: +listType=atomic, no patchStrategy
                ("spec", Struct()),
                ("status", ConditionsStatus())), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{},\"status\":{}}"),
        ["v1/Node"] = new(Root(
                ("spec", Struct(("podCIDRs", SetList()))),
                ("status", ConditionsStatus(("addresses", MapList("type")), ("capacity", Map()), ("allocatable", Map())))), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":0}},\"nodeInfo\":{\"machineID\":\"\",\"systemUUID\":\"\",\"bootID\":\"\",\"kernelVersion\":\"\",\"osImage\":\"\",\"containerRuntimeVersion\":\"\",\"kubeletVersion\":\"\",\"kubeProxyVersion\":\"\",\"operatingSystem\":\"\",\"architecture\":\"\"}}}"),
        ["v1/PersistentVolumeClaim"] = new(Root(
                ("spec", Struct(
                    ("selector", LabelSelector),
                    ("resources", Struct(("limits", Map()), ("requests", Map()))),
                    // TypedLocalObjectReference is +structType=atomic
                    ("dataSource", AtomicStruct()))),
                ("status", ConditionsStatus(("capacity", Map()), ("allocatedResources", Map()), ("allocatedResourceStatuses", Map())))), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"resources\":{}},\"status\":{}}"),
        ["v1/Event"] = new(Root(("involvedObject", AtomicStruct())), false,
            "{\"metadata\":{\"creationTimestamp\":null},\"involvedObject\":{},\"source\":{},\"firstTimestamp\":null,\"lastTimestamp\":null,\"eventTime\":null,\"reportingComponent\":\"\",\"reportingInstance\":\"\"}"),
        ["apps/v1/Deployment"] = new(Root(
                ("spec", Struct(
                    ("selector", LabelSelector),
                    ("template", PodTemplateSpec),
                    // patchStrategy:"retainKeys"
                    ("strategy", Struct().WithPatchStrategy("retainKeys")))),
                ("status", ConditionsStatus())), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"selector\":null,\"template\":" + PodTemplateZero + ",\"strategy\":{}},\"status\":{}}"),
        ["apps/v1/ReplicaSet"] = new(Root(
                ("spec", Struct(("selector", LabelSelector), ("template", PodTemplateSpec))),
                ("status", ConditionsStatus())), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"selector\":null,\"template\":" + PodTemplateZero + "},\"status\":{\"replicas\":0}}"),
        ["apps/v1/StatefulSet"] = new(Root(
                // volumeClaimTemplates: +listType=atomic
                ("spec", Struct(("selector", LabelSelector), ("template", PodTemplateSpec))),
                ("status", ConditionsStatus())), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"selector\":null,\"template\":" + PodTemplateZero + ",\"serviceName\":\"\",\"updateStrategy\":{}},\"status\":{\"replicas\":0,\"availableReplicas\":0}}"),
        ["apps/v1/DaemonSet"] = new(Root(
                ("spec", Struct(("selector", LabelSelector), ("template", PodTemplateSpec))),
                ("status", ConditionsStatus())), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"selector\":null,\"template\":" + PodTemplateZero + ",\"updateStrategy\":{}},\"status\":{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,\"desiredNumberScheduled\":0,\"numberReady\":0}}"),
        ["batch/v1/Job"] = new(Root(
                ("spec", JobSpec),
                // JobStatus.conditions: patchStrategy:"merge" patchMergeKey:"type" but +listType=atomic
                ("status", Struct(("conditions", MergeButAtomicList("type"))))), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"template\":" + PodTemplateZero + "},\"status\":{}}"),
        ["batch/v1/CronJob"] = new(Root(
                ("spec", Struct(("jobTemplate", Struct(("metadata", ObjectMeta), ("spec", JobSpec)))))), true,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"schedule\":\"\",\"jobTemplate\":{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"template\":" + PodTemplateZero + "}}},\"status\":{}}"),
        ["coordination.k8s.io/v1/Lease"] = new(Root(("spec", Struct())), false,
            "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{}}"),
        // rules: +listType=atomic, no patchStrategy
        ["rbac.authorization.k8s.io/v1/Role"] = new(Root(), false, "{\"metadata\":{\"creationTimestamp\":null},\"rules\":null}"),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = new(Root(), false, "{\"metadata\":{\"creationTimestamp\":null},\"rules\":null}"),
        // subjects: +listType=atomic; RoleRef is +structType=atomic
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = new(Root(("roleRef", AtomicStruct())), false,
            "{\"metadata\":{\"creationTimestamp\":null},\"roleRef\":{\"apiGroup\":\"\",\"kind\":\"\",\"name\":\"\"}}"),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = new(Root(("roleRef", AtomicStruct())), false,
            "{\"metadata\":{\"creationTimestamp\":null},\"roleRef\":{\"apiGroup\":\"\",\"kind\":\"\",\"name\":\"\"}}"),
    };

    /// <summary>Group-versions served by the apiserver itself (not CRDs): strategic merge patch applies to them.</summary>
    private static readonly HashSet<string> BuiltinGroupVersions = new(StringComparer.Ordinal)
    {
        "v1", "apps/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "coordination.k8s.io/v1", "policy/v1",
        "networking.k8s.io/v1", "storage.k8s.io/v1", "events.k8s.io/v1", "autoscaling/v1", "autoscaling/v2",
        "admissionregistration.k8s.io/v1", "apiextensions.k8s.io/v1", "apiregistration.k8s.io/v1",
        "scheduling.k8s.io/v1", "discovery.k8s.io/v1", "certificates.k8s.io/v1", "node.k8s.io/v1",
        "authorization.k8s.io/v1", "authentication.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1",
    };

    /// <summary>The table entry for a kind, or null when the table does not spell it out.</summary>
    public static BuiltinKind? Find(string apiVersion, string kind) =>
        Kinds.TryGetValue(apiVersion + "/" + kind, out var entry) ? entry : null;

    /// <summary>Whether the group-version is served natively by the apiserver (not by a CRD).</summary>
    public static bool IsBuiltinGroupVersion(string apiVersion) => BuiltinGroupVersions.Contains(apiVersion);

    /// <summary>Type tree for a built-in kind the table does not spell out: ObjectMeta plus loose fields.</summary>
    public static SchemaNode Generic { get; } = Root();

    /// <summary>The kinds the table spells out, as "apiVersion/Kind".</summary>
    public static IEnumerable<string> Known => Kinds.Keys;
}
