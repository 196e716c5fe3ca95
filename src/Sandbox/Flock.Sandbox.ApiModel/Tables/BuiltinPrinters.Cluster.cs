using System.Globalization;
using System.Text.Json.Nodes;
using static Flock.Sandbox.ApiModel.Json;

namespace Flock.Sandbox.ApiModel;

/// <summary>printNode, printService, printPersistentVolumeClaim and printEvent.</summary>
public static partial class BuiltinPrinters
{
    private static TableRowCells Node(JsonObject o, DateTimeOffset now)
    {
        var ready = Arr(o, "status", "conditions").FirstOrDefault(c => Str(c, "type") == "Ready");
        var statuses = new List<string>
        {
            ready is null ? "Unknown" : Str(ready, "status") == "True" ? "Ready" : "NotReady",
        };
        if (Bool(o, "spec", "unschedulable"))
        {
            statuses.Add("SchedulingDisabled");
        }

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        if (At(o, "metadata", "labels") is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                if (key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal))
                {
                    roles.Add(key["node-role.kubernetes.io/".Length..]);
                }
                else if (key == "kubernetes.io/role" && value?.GetValue<string>() is { Length: > 0 } role)
                {
                    roles.Add(role);
                }
            }
        }

        string Address(string type) => Arr(o, "status", "addresses").Where(a => Str(a, "type") == type).Select(a => Str(a, "address")).FirstOrDefault() ?? "<none>";
        return new(
        [
            Name(o), string.Join(",", statuses), roles.Count == 0 ? "<none>" : string.Join(",", roles), Age(o, now),
            Str(o, "status", "nodeInfo", "kubeletVersion"), Address("InternalIP"), Address("ExternalIP"),
            OrUnknown(Str(o, "status", "nodeInfo", "osImage")), OrUnknown(Str(o, "status", "nodeInfo", "kernelVersion")),
            OrUnknown(Str(o, "status", "nodeInfo", "containerRuntimeVersion")),
        ]);
    }

    private static TableRowCells Service(JsonObject o, DateTimeOffset now)
    {
        var type = Str(o, "spec", "type") is { Length: > 0 } t ? t : "ClusterIP";
        var externalIps = Arr(o, "spec", "externalIPs").Select(ip => ip?.GetValue<string>() ?? "").ToList();
        string external;
        switch (type)
        {
            case "LoadBalancer":
                var ingress = Arr(o, "status", "loadBalancer", "ingress")
                    .Select(i => Str(i, "ip") is { Length: > 0 } ip ? ip : Str(i, "hostname")).Where(s => s.Length > 0)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                ingress.AddRange(externalIps);
                external = ingress.Count > 0 ? string.Join(",", ingress) : "<pending>";
                break;
            case "ExternalName":
                external = Str(o, "spec", "externalName");
                break;
            case "ClusterIP" or "NodePort":
                external = externalIps.Count > 0 ? string.Join(",", externalIps) : "<none>";
                break;
            default:
                external = "<unknown>";
                break;
        }

        var ports = Arr(o, "spec", "ports").Select(p =>
        {
            var protocol = Str(p, "protocol") is { Length: > 0 } proto ? proto : "TCP";
            var nodePort = Int(p, "nodePort");
            return nodePort > 0 ? $"{Int(p, "port")}:{nodePort}/{protocol}" : $"{Int(p, "port")}/{protocol}";
        }).ToList();
        var selector = At(o, "spec", "selector") is JsonObject sel && sel.Count > 0
            ? string.Join(",", sel.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value?.GetValue<string>()}"))
            : "<none>";
        return new(
        [
            Name(o), type, OrNone(Arr(o, "spec", "clusterIPs").Select(ip => ip?.GetValue<string>()).FirstOrDefault() ?? Str(o, "spec", "clusterIP")), external, ports.Count > 0 ? string.Join(",", ports) : "<none>",
            Age(o, now), selector,
        ]);
    }

    private static TableRowCells PersistentVolumeClaim(JsonObject o, DateTimeOffset now)
    {
        var phase = At(o, "metadata", "deletionTimestamp") is not null ? "Terminating" : Str(o, "status", "phase");
        var capacity = "";
        var modes = "";
        if (Str(o, "spec", "volumeName").Length > 0)
        {
            capacity = Str(o, "status", "capacity", "storage");
            modes = AccessModes(Arr(o, "status", "accessModes"));
        }

        var storageClass = Str(o, "spec", "storageClassName") is { Length: > 0 } sc ? sc
            : Str(o, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class") is { Length: > 0 } beta ? beta : "<unset>";
        var vac = Str(o, "spec", "volumeAttributesClassName") is { Length: > 0 } v ? v : "<unset>";
        var mode = Str(o, "spec", "volumeMode") is { Length: > 0 } m ? m : "<unset>";
        return new([Name(o), phase, Str(o, "spec", "volumeName"), capacity, modes, storageClass, vac, Age(o, now), mode]);
    }

    private static string AccessModes(IReadOnlyList<JsonNode?> modes)
    {
        var names = new List<string>();
        foreach (var (mode, abbreviation) in new[] { ("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP") })
        {
            if (modes.Any(m => m?.GetValue<string>() == mode))
            {
                names.Add(abbreviation);
            }
        }

        return string.Join(",", names);
    }

    private static TableRowCells Event(JsonObject o, DateTimeOffset now)
    {
        // events.k8s.io/v1 objects are converted to core's shape by the server; read both spellings.
        var regarding = At(o, "involvedObject") ?? At(o, "regarding");
        var first = Time(o, "firstTimestamp") ?? Time(o, "deprecatedFirstTimestamp");
        var firstSeen = HumanDuration.Since(first ?? Time(o, "eventTime"), now);
        var last = Time(o, "lastTimestamp") ?? Time(o, "deprecatedLastTimestamp");
        var lastSeen = last is null ? firstSeen : HumanDuration.Since(last, now);
        var count = IntOrNull(o, "count") ?? IntOrNull(o, "deprecatedCount") ?? 0;
        if (At(o, "series") is JsonObject series)
        {
            lastSeen = HumanDuration.Since(Time(series, "lastObservedTime"), now);
            count = Int(series, "count");
        }
        else if (count == 0)
        {
            count = 1;
        }

        var kind = Str(regarding, "kind").ToLowerInvariant();
        var target = Str(regarding, "name") is { Length: > 0 } name ? $"{kind}/{name}" : kind;
        var component = Str(o, "source", "component") is { Length: > 0 } c ? c : Str(o, "reportingController") is { Length: > 0 } rc ? rc : Str(o, "reportingComponent");
        var host = Str(o, "source", "host") is { Length: > 0 } h ? h : Str(o, "reportingInstance");
        var source = host.Length > 0 ? $"{component}, {host}" : component;
        return new(
        [
            lastSeen, Str(o, "type"), Str(o, "reason"), target, Str(regarding, "fieldPath"), source,
            (Str(o, "message") is { Length: > 0 } msg ? msg : Str(o, "note")).Trim(), firstSeen, count, Name(o),
        ]);
    }
}
