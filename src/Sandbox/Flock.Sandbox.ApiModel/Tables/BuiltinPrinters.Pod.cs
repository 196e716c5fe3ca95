using System.Globalization;
using System.Text.Json.Nodes;
using static Flock.Sandbox.ApiModel.Json;

namespace Flock.Sandbox.ApiModel;

/// <summary>printPod: readiness, the STATUS reason rules, restarts and the wide columns.</summary>
public static partial class BuiltinPrinters
{
    private static TableRowCells Pod(JsonObject pod, DateTimeOffset now)
    {
        var containers = Arr(pod, "spec", "containers");
        var initContainers = Arr(pod, "spec", "initContainers");
        var restartableInit = initContainers
            .Where(c => Str(c, "restartPolicy") == "Always")
            .Select(c => Str(c, "name"))
            .ToHashSet(StringComparer.Ordinal);
        var total = containers.Count + restartableInit.Count;
        var ready = 0;
        var restarts = 0;
        var restartableInitRestarts = 0;
        DateTimeOffset? lastRestart = null;
        DateTimeOffset? lastRestartableInitRestart = null;
        var phase = Str(pod, "status", "phase");
        var reason = Str(pod, "status", "reason") is { Length: > 0 } r ? r : phase;
        if (Arr(pod, "status", "conditions").Any(c => Str(c, "type") == "PodScheduled" && Str(c, "reason") == "SchedulingGated"))
        {
            reason = "SchedulingGated";
        }

        JsonArray? conditions = phase switch
        {
            "Succeeded" => [new JsonObject { ["type"] = "Completed", ["status"] = "True", ["reason"] = "Succeeded", ["message"] = "The pod has completed successfully." }],
            "Failed" => [new JsonObject { ["type"] = "Completed", ["status"] = "True", ["reason"] = "Failed", ["message"] = "The pod failed." }],
            _ => null,
        };

        static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

        var initializing = false;
        var initStatuses = Arr(pod, "status", "initContainerStatuses");
        for (var i = 0; i < initStatuses.Count; i++)
        {
            var status = initStatuses[i];
            var name = Str(status, "name");
            restarts += (int)Int(status, "restartCount");
            var terminatedAt = Time(status, "lastState", "terminated", "finishedAt");
            lastRestart = Later(lastRestart, terminatedAt);
            var isRestartable = restartableInit.Contains(name);
            if (isRestartable)
            {
                restartableInitRestarts += (int)Int(status, "restartCount");
                lastRestartableInitRestart = Later(lastRestartableInitRestart, terminatedAt);
            }

            var terminated = At(status, "state", "terminated");
            var waitingReason = Str(status, "state", "waiting", "reason");
            if (terminated is not null && Int(terminated, "exitCode") == 0)
            {
                continue;
            }

            if (isRestartable && Bool(status, "started"))
            {
                if (Bool(status, "ready"))
                {
                    ready++;
                }

                continue;
            }

            if (terminated is not null)
            {
                reason = Str(terminated, "reason") is { Length: > 0 } tr ? "Init:" + tr
                    : Int(terminated, "signal") != 0 ? $"Init:Signal:{Int(terminated, "signal")}"
                    : $"Init:ExitCode:{Int(terminated, "exitCode")}";
            }
            else if (waitingReason.Length > 0 && waitingReason != "PodInitializing")
            {
                reason = "Init:" + waitingReason;
            }
            else
            {
                reason = $"Init:{i}/{initContainers.Count}";
            }

            initializing = true;
            break;
        }

        var initialized = Arr(pod, "status", "conditions").Any(c => Str(c, "type") == "Initialized" && Str(c, "status") == "True");
        if (!initializing || initialized)
        {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            var hasRunning = false;
            var statuses = Arr(pod, "status", "containerStatuses");
            for (var i = statuses.Count - 1; i >= 0; i--)
            {
                var status = statuses[i];
                restarts += (int)Int(status, "restartCount");
                lastRestart = Later(lastRestart, Time(status, "lastState", "terminated", "finishedAt"));
                var terminated = At(status, "state", "terminated");
                if (Str(status, "state", "waiting", "reason") is { Length: > 0 } waiting)
                {
                    reason = waiting;
                }
                else if (terminated is not null && Str(terminated, "reason") is { Length: > 0 } terminatedReason)
                {
                    reason = terminatedReason;
                }
                else if (terminated is not null)
                {
                    reason = Int(terminated, "signal") != 0 ? $"Signal:{Int(terminated, "signal")}" : $"ExitCode:{Int(terminated, "exitCode")}";
                }
                else if (Bool(status, "ready") && At(status, "state", "running") is not null)
                {
                    hasRunning = true;
                    ready++;
                }
            }

            if (reason == "Completed" && hasRunning)
            {
                reason = Arr(pod, "status", "conditions").Any(c => Str(c, "type") == "Ready" && Str(c, "status") == "True") ? "Running" : "NotReady";
            }
        }

        var deleting = At(pod, "metadata", "deletionTimestamp") is not null;
        if (deleting && Str(pod, "status", "reason") == "NodeLost")
        {
            reason = "Unknown";
        }
        else if (deleting && phase is not ("Succeeded" or "Failed"))
        {
            reason = "Terminating";
        }

        var restartsText = restarts.ToString(CultureInfo.InvariantCulture);
        if (restarts != 0 && lastRestart is not null)
        {
            restartsText = $"{restarts} ({HumanDuration.Since(lastRestart, now)} ago)";
        }

        var ip = Arr(pod, "status", "podIPs").Select(p => Str(p, "ip")).FirstOrDefault() ?? "";
        var gates = Arr(pod, "spec", "readinessGates");
        var gatesText = "<none>";
        if (gates.Count > 0)
        {
            var podConditions = Arr(pod, "status", "conditions");
            var trueCount = gates.Count(g => podConditions.FirstOrDefault(c => Str(c, "type") == Str(g, "conditionType")) is { } c && Str(c, "status") == "True");
            gatesText = $"{trueCount}/{gates.Count}";
        }

        return new TableRowCells(
        [
            Name(pod), $"{ready}/{total}", reason, restartsText, Age(pod, now),
            OrNone(ip), OrNone(Str(pod, "spec", "nodeName")), OrNone(Str(pod, "status", "nominatedNodeName")), gatesText,
        ], conditions);
    }
}
