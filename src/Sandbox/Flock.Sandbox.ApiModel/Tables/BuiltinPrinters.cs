using System.Globalization;
using System.Text.Json.Nodes;
using static Flock.Sandbox.ApiModel.Json;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The server-side printers of k8s.io/kubernetes/pkg/printers/internalversion for the built-in kinds
/// the sandbox serves. All columns are generated (the apiserver prints "wide"); clients hide
/// priority &gt; 0 columns unless <c>-o wide</c>.
/// </summary>
public static partial class BuiltinPrinters
{
    private static readonly Dictionary<(string Group, string Kind), TablePrinter> Printers = new()
    {
        [("", "Pod")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic."),
            new("Status", "string", "", "The aggregate status of the containers in this pod."),
            new("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            MetaDescriptions.AgeColumn,
            new("IP", "string", "", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
            new("Node", "string", "", "NodeName indicates in which node this pod is scheduled.", 1),
            new("Nominated Node", "string", "", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
            new("Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated for pod readiness.", 1),
        ], Pod),
        [("apps", "Deployment")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Ready", "string", "", "Number of the pod with ready state"),
            new("Up-to-date", "string", "", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
            new("Available", "string", "", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
            MetaDescriptions.AgeColumn,
            new("Containers", "string", "", "Names of each container in the template.", 1),
            new("Images", "string", "", "Images referenced by each container in the template.", 1),
            new("Selector", "string", "", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
        ], Deployment),
        [("apps", "ReplicaSet")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Desired", "integer", "", "Replicas is the number of desired pods."),
            new("Current", "integer", "", "Replicas is the most recently observed number of non-terminating pods."),
            new("Ready", "integer", "", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
            MetaDescriptions.AgeColumn,
            new("Containers", "string", "", "Names of each container in the template.", 1),
            new("Images", "string", "", "Images referenced by each container in the template.", 1),
            new("Selector", "string", "", "Selector is a label query over pods that should match the replica count.", 1),
        ], ReplicaSet),
        [("batch", "Job")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Status", "string", "", "Status of the job."),
            new("Completions", "string", "", "The desired number of successfully finished pods the job should be run with."),
            new("Duration", "string", "", "Time required to complete the job."),
            MetaDescriptions.AgeColumn,
            new("Containers", "string", "", "Names of each container in the template.", 1),
            new("Images", "string", "", "Images referenced by each container in the template.", 1),
            new("Selector", "string", "", "A label query over pods that should match the pod count.", 1),
        ], Job),
        [("", "Node")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Status", "string", "", "The status of the node"),
            new("Roles", "string", "", "The roles of the node"),
            MetaDescriptions.AgeColumn,
            new("Version", "string", "", "Kubelet Version reported by the node."),
            new("Internal-IP", "string", "", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
            new("External-IP", "string", "", "List of addresses reachable to the node. Queried from cloud provider, if available.", 1),
            new("OS-Image", "string", "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
            new("Kernel-Version", "string", "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
            new("Container-Runtime", "string", "", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
        ], Node),
        [("", "Namespace")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Status", "string", "", "The status of the namespace"),
            MetaDescriptions.AgeColumn,
        ], (o, now) => new([Name(o), Str(o, "status", "phase"), Age(o, now)])),
        [("", "Secret")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Type", "string", "", "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types"),
            new("Data", "string", "", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'."),
            MetaDescriptions.AgeColumn,
        ], (o, now) => new([Name(o), Str(o, "type"), (long)Count(o, "data"), Age(o, now)])),
        [("", "ConfigMap")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Data", "string", "", "Data contains the configuration data."),
            MetaDescriptions.AgeColumn,
        ], (o, now) => new([Name(o), (long)(Count(o, "data") + Count(o, "binaryData")), Age(o, now)])),
        [("", "ServiceAccount")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Secrets", "string", "", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
            MetaDescriptions.AgeColumn,
        ], (o, now) => new([Name(o), (long)Count(o, "secrets"), Age(o, now)])),
        [("", "Service")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Type", "string", "", "type determines how the Service is exposed."),
            new("Cluster-IP", "string", "", "clusterIP is the IP address of the service and is usually assigned randomly."),
            new("External-IP", "string", "", "List of IP addresses for which nodes in the cluster will also accept traffic for this service."),
            new("Port(s)", "string", "", "The list of ports that are exposed by this service."),
            MetaDescriptions.AgeColumn,
            new("Selector", "string", "", "Route service traffic to pods with label keys and values matching this selector.", 1),
        ], Service),
        [("", "PersistentVolumeClaim")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Status", "string", "", "phase represents the current phase of PersistentVolumeClaim."),
            new("Volume", "string", "", "volumeName is the binding reference to the PersistentVolume backing this claim."),
            new("Capacity", "string", "", "capacity represents the actual resources of the underlying volume."),
            new("Access Modes", "string", "", "accessModes contains the desired access modes the volume should have."),
            new("StorageClass", "string", "", "storageClassName is the name of the StorageClass required by the claim."),
            new("VolumeAttributesClass", "string", "", "volumeAttributesClassName may be used to set the VolumeAttributesClass used by this claim."),
            MetaDescriptions.AgeColumn,
            new("VolumeMode", "string", "", "volumeMode defines what type of volume is required by the claim.", 1),
        ], PersistentVolumeClaim),
        [("coordination.k8s.io", "Lease")] = new(
        [
            MetaDescriptions.NameColumn,
            new("Holder", "string", "", "holderIdentity contains the identity of the holder of a current lease."),
            MetaDescriptions.AgeColumn,
        ], (o, now) => new([Name(o), Str(o, "spec", "holderIdentity"), Age(o, now)])),
        [("", "Event")] = EventPrinter(),
        [("events.k8s.io", "Event")] = EventPrinter(),
        [("rbac.authorization.k8s.io", "RoleBinding")] = BindingPrinter("roleBinding"),
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = BindingPrinter("clusterRoleBinding"),
    };

    /// <summary>The printer for a built-in kind, or null when the apiserver uses its default (Name, Created At).</summary>
    public static TablePrinter? For(string group, string kind) => Printers.GetValueOrDefault((group, kind));

    /// <summary>rest.DefaultTableConvertor: Name and Created At (a date column holding the RFC3339 timestamp).</summary>
    public static TablePrinter Default { get; } = new(
    [
        MetaDescriptions.NameColumn,
        new("Created At", "date", "", MetaDescriptions.CreationTimestamp),
    ], (o, _) => new([Name(o), Rfc3339(Time(o, "metadata", "creationTimestamp"))]));

    private static TablePrinter BindingPrinter(string kind) => new(
    [
        MetaDescriptions.NameColumn,
        new("Role", "string", "", "RoleRef can only reference the current namespace or a ClusterRole."),
        MetaDescriptions.AgeColumn,
        new("Users", "string", "", $"Users in the {kind}", 1),
        new("Groups", "string", "", $"Groups in the {kind}", 1),
        new("ServiceAccounts", "string", "", $"ServiceAccounts in the {kind}", 1),
    ], (o, now) =>
    {
        var subjects = Arr(o, "subjects");
        string Join(string kind, bool qualify) => string.Join(", ", subjects
            .Where(s => Str(s, "kind") == kind)
            .Select(s => qualify ? $"{Str(s, "namespace")}/{Str(s, "name")}" : Str(s, "name")));
        return new([Name(o), $"{Str(o, "roleRef", "kind")}/{Str(o, "roleRef", "name")}", Age(o, now),
            Join("User", false), Join("Group", false), Join("ServiceAccount", true)]);
    });

    private static TablePrinter EventPrinter() => new(
    [
        new("Last Seen", "string", "", "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "string", "", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "string", "", "The object that this event is about."),
        new("Subobject", "string", "", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", 1),
        new("Source", "string", "", "The component reporting this event. Should be a short machine understandable string.", 1),
        new("Message", "string", "", "A human-readable description of the status of this operation."),
        new("First Seen", "string", "", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
        new("Count", "string", "", "The number of times this event has occurred.", 1),
        new("Name", "string", "name", MetaDescriptions.Name, 1),
    ], Event);

    private static (string Containers, string Images) ContainerCells(IReadOnlyList<JsonNode?> containers) =>
        (string.Join(",", containers.Select(c => Str(c, "name"))), string.Join(",", containers.Select(c => Str(c, "image"))));

    /// <summary>selector.String() of spec.selector, "" when empty (the Deployment printer).</summary>
    private static string Selector(JsonObject o)
    {
        var text = FormatLabelSelector(o);
        return text == "<none>" ? "" : text;
    }

    /// <summary>metav1.FormatLabelSelector of spec.selector, "&lt;none&gt;" when empty.</summary>
    private static string FormatLabelSelector(JsonObject o) =>
        LabelSelectors.Format(At(o, "spec", "selector") is JsonObject s
            ? k8s.KubernetesJson.Deserialize<k8s.Models.V1LabelSelector>(s.ToJsonString())
            : null);

    internal static string Name(JsonObject o) => Str(o, "metadata", "name");

    internal static string Age(JsonObject o, DateTimeOffset now) => HumanDuration.Since(Time(o, "metadata", "creationTimestamp"), now);

    internal static string? Rfc3339(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string OrNone(string value) => value.Length == 0 ? "<none>" : value;

    private static string OrUnknown(string value) => value.Length == 0 ? "<unknown>" : value;
}
