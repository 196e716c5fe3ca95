using System.Text;
using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>The defaulting and PrepareForCreate/Update strategies of the built-in kinds the operator touches.</summary>
internal static class BuiltinDefaults
{
    public static void ForCreate(ApiResource r, JsonObject obj)
    {
        switch (r.Kind)
        {
            case "Namespace":
                {
                    var name = Json.Path(obj, "metadata", "name");
                    if (name is not null) Json.Obj(Json.Meta(obj), "labels")["kubernetes.io/metadata.name"] = name;
                    var spec = Json.Obj(obj, "spec");
                    spec["finalizers"] = Json.Array(["kubernetes"]);
                    obj["status"] = new JsonObject { ["phase"] = "Active" };
                    break;
                }

            case "Pod":
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = QosClass(obj["spec"]) };
                PodSpec(Json.Obj(obj, "spec"), isPod: true);
                break;
            case "Deployment":
                {
                    var spec = Json.Obj(obj, "spec");
                    spec["replicas"] ??= 1;
                    spec["revisionHistoryLimit"] ??= 10;
                    spec["progressDeadlineSeconds"] ??= 600;
                    if (spec["strategy"] is null)
                    {
                        spec["strategy"] = new JsonObject
                        {
                            ["type"] = "RollingUpdate",
                            ["rollingUpdate"] = new JsonObject { ["maxUnavailable"] = "25%", ["maxSurge"] = "25%" },
                        };
                    }

                    if (spec["template"]?["spec"] is JsonObject podSpec) PodSpec(podSpec, isPod: false);
                    break;
                }

            case "Service":
                {
                    var spec = Json.Obj(obj, "spec");
                    spec["type"] ??= "ClusterIP";
                    spec["sessionAffinity"] ??= "None";
                    if (Json.Str(spec, "type") != "ExternalName")
                    {
                        // The service IP allocator: 10.96.0.0/12 (10.96.0.1 is the kubernetes service).
                        if (string.IsNullOrEmpty(Json.Str(spec, "clusterIP")))
                        {
                            var n = Interlocked.Increment(ref _nextServiceIp);
                            spec["clusterIP"] = $"10.{96 + (n >> 16)}.{(n >> 8) & 0xff}.{n & 0xff}";
                        }

                        spec["clusterIPs"] ??= new JsonArray(spec["clusterIP"]!.DeepClone());
                        spec["ipFamilies"] ??= new JsonArray("IPv4");
                        spec["ipFamilyPolicy"] ??= "SingleStack";
                        spec["internalTrafficPolicy"] ??= "Cluster";
                    }

                    if (spec["ports"] is JsonArray ports)
                    {
                        foreach (var p in ports.OfType<JsonObject>())
                        {
                            p["protocol"] ??= "TCP";
                            p["targetPort"] ??= p["port"]?.DeepClone();
                        }
                    }

                    obj["status"] = new JsonObject { ["loadBalancer"] = new JsonObject() };
                    break;
                }

            case "PersistentVolumeClaim":
                Json.Obj(obj, "spec")["volumeMode"] ??= "Filesystem";
                obj["status"] = new JsonObject { ["phase"] = "Pending" };
                break;
            case "CustomResourceDefinition":
                {
                    var meta = Json.Meta(obj);
                    var finalizers = Json.StringList(meta["finalizers"]);
                    if (!finalizers.Contains("customresourcecleanup.apiextensions.k8s.io")) finalizers.Add("customresourcecleanup.apiextensions.k8s.io");
                    meta["finalizers"] = Json.Array(finalizers);
                    break;
                }
        }

        if (r.Kind == "Secret") Secret(obj);
    }

    public static void ForUpdate(ApiResource r, JsonObject next, JsonObject current)
    {
        switch (r.Kind)
        {
            case "Secret":
                Secret(next);
                break;
            case "Namespace":
                // spec.finalizers change only through /finalize; status.phase stays the server's.
                next.Remove("spec");
                if (current["spec"] is { } spec) next["spec"] = spec.DeepClone();
                var name = Json.Path(next, "metadata", "name");
                if (name is not null) Json.Obj(Json.Meta(next), "labels")["kubernetes.io/metadata.name"] = name;
                break;
        }
    }

    private static int _nextServiceIp = 1;

    /// <summary>The pod's QoS class from its containers' requests and limits (qos.GetPodQOS, simplified to cpu/memory).</summary>
    private static string QosClass(JsonNode? spec)
    {
        var containers = (spec?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var any = false;
        var guaranteed = containers.Count > 0;
        foreach (var c in containers)
        {
            var requests = c["resources"]?["requests"] as JsonObject;
            var limits = c["resources"]?["limits"] as JsonObject;
            foreach (var res in new[] { "cpu", "memory" })
            {
                var req = requests?[res];
                var lim = limits?[res];
                if (req is not null || lim is not null) any = true;
                if (lim is null || (req is not null && req.ToJsonString() != lim.ToJsonString())) guaranteed = false;
            }
        }

        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static void Secret(JsonObject obj)
    {
        obj["type"] ??= "Opaque";
        if (obj["stringData"] is JsonObject sd)
        {
            var data = Json.Obj(obj, "data");
            foreach (var (k, v) in sd)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v?.GetValue<string>() ?? ""));
            }

            obj.Remove("stringData");
        }
    }

    private static void PodSpec(JsonObject spec, bool isPod)
    {
        spec["restartPolicy"] ??= "Always";
        if (isPod)
        {
            // What the ServiceAccount, Priority and service-links admission add to a pod (not to templates).
            spec["serviceAccountName"] ??= "default";
            spec["serviceAccount"] ??= spec["serviceAccountName"]!.DeepClone();
            spec["enableServiceLinks"] ??= true;
            spec["priority"] ??= 0;
        }

        spec["terminationGracePeriodSeconds"] ??= 30;
        spec["dnsPolicy"] ??= "ClusterFirst";
        spec["schedulerName"] ??= "default-scheduler";
        spec["securityContext"] ??= new JsonObject();
        foreach (var c in (spec["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            c["terminationMessagePath"] ??= "/dev/termination-log";
            c["terminationMessagePolicy"] ??= "File";
            if (c["imagePullPolicy"] is null)
            {
                var image = Json.Str(c, "image") ?? "";
                var tag = image.Contains('@') ? "digest" : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[(image.LastIndexOf(':') + 1)..] : "latest";
                c["imagePullPolicy"] = tag == "latest" ? "Always" : "IfNotPresent";
            }

            c["resources"] ??= new JsonObject();
        }
    }
}

/// <summary>The validation of built-in kinds the sandbox reproduces (required fields the operator could miss).</summary>
internal static class BuiltinValidation
{
    public static void Validate(ApiResource r, JsonObject obj)
    {
        var name = Json.Path(obj, "metadata", "name") ?? "";
        var errors = new List<(string, string, string)>();
        switch (r.Kind)
        {
            case "Pod":
                Containers(obj["spec"]?["containers"], "spec.containers", errors);
                break;
            case "Deployment" or "ReplicaSet":
                if (obj["spec"]?["selector"] is null) errors.Add(("spec.selector", "FieldValueRequired", "Required value"));
                Containers(obj["spec"]?["template"]?["spec"]?["containers"], "spec.template.spec.containers", errors);
                break;
            case "Job":
                Containers(obj["spec"]?["template"]?["spec"]?["containers"], "spec.template.spec.containers", errors);
                break;
        }

        if (errors.Count > 0) throw Errors.Invalid(r.Kind, r.Group, name, errors);
    }

    private static void Containers(JsonNode? containers, string path, List<(string, string, string)> errors)
    {
        if (containers is not JsonArray { Count: > 0 } list)
        {
            errors.Add((path, "FieldValueRequired", "Required value"));
            return;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (string.IsNullOrEmpty(Json.Str(list[i], "name"))) errors.Add(($"{path}[{i}].name", "FieldValueRequired", "Required value"));
            if (string.IsNullOrEmpty(Json.Str(list[i], "image"))) errors.Add(($"{path}[{i}].image", "FieldValueRequired", "Required value"));
        }
    }
}
