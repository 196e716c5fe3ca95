using System.Globalization;
using System.Text.Json.Nodes;
using static Flock.Sandbox.ApiModel.Json;

namespace Flock.Sandbox.ApiModel;

/// <summary>printDeployment, printReplicaSet and printJob.</summary>
public static partial class BuiltinPrinters
{
    private static TableRowCells Deployment(JsonObject o, DateTimeOffset now)
    {
        var (containers, images) = ContainerCells(Arr(o, "spec", "template", "spec", "containers"));
        var desired = IntOrNull(o, "spec", "replicas") ?? 1;
        return new(
        [
            Name(o), $"{Int(o, "status", "readyReplicas")}/{desired}", Int(o, "status", "updatedReplicas"),
            Int(o, "status", "availableReplicas"), Age(o, now), containers, images, Selector(o),
        ]);
    }

    private static TableRowCells ReplicaSet(JsonObject o, DateTimeOffset now)
    {
        var (containers, images) = ContainerCells(Arr(o, "spec", "template", "spec", "containers"));
        return new(
        [
            Name(o), IntOrNull(o, "spec", "replicas") ?? 1, Int(o, "status", "replicas"), Int(o, "status", "readyReplicas"),
            Age(o, now), containers, images, FormatLabelSelector(o),
        ]);
    }

    private static TableRowCells Job(JsonObject o, DateTimeOffset now)
    {
        var succeeded = Int(o, "status", "succeeded");
        string completions;
        if (IntOrNull(o, "spec", "completions") is { } wanted)
        {
            completions = $"{succeeded}/{wanted}";
        }
        else
        {
            var parallelism = IntOrNull(o, "spec", "parallelism") ?? 0;
            completions = parallelism > 1 ? $"{succeeded}/1 of {parallelism}" : $"{succeeded}/1";
        }

        var start = Time(o, "status", "startTime");
        var completion = Time(o, "status", "completionTime");
        var duration = start is null ? "" : HumanDuration.Format((completion ?? now) - start.Value);
        var conditions = Arr(o, "status", "conditions");
        bool Has(string type) => conditions.Any(c => Str(c, "type") == type && Str(c, "status") == "True");
        var status = Has("Complete") ? "Complete"
            : Has("Failed") ? "Failed"
            : At(o, "metadata", "deletionTimestamp") is not null ? "Terminating"
            : Has("Suspended") ? "Suspended"
            : Has("FailureTarget") ? "FailureTarget"
            : "Running";
        var (containers, images) = ContainerCells(Arr(o, "spec", "template", "spec", "containers"));
        return new([Name(o), status, completions, duration, Age(o, now), containers, images, FormatLabelSelector(o)]);
    }
}
