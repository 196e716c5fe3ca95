using System.Security.Cryptography;
using System.Text;

namespace Flock.Sandbox.Cluster.Kubelets;

/// <summary>
/// The container state machine of the simulated kubelet: pull, start, run, exit, restart with
/// back-off, following restartPolicy exactly like the kubelet's SyncPod decisions. Pure: time and
/// behaviour come in, the next state and the events to emit come out.
/// </summary>
internal static class ContainerLifecycle
{
    /// <summary>Moves the container as far as <paramref name="now"/> allows (one step per call).</summary>
    /// <returns>The new state (same instance when nothing happened) and when to look again.</returns>
    public static (ContainerRuntime State, DateTimeOffset? Next, KubeletEvent? Event) Advance(
        ContainerRuntime c, ImageBehaviour? behaviour, string restartPolicy, bool batchExitsByDefault, KubeletOptions o, DateTimeOffset now)
    {
        switch (c.Phase)
        {
            case ContainerPhase.Creating:
                {
                    var due = c.Since + o.StartDelay;
                    if (now < due) return (c, due, null);
                    return behaviour?.Kind == ImageBehaviourKind.PullFails ? PullFailed(c, now) : Start(c, now);
                }

            case ContainerPhase.PullError:
                {
                    var due = c.Since + o.ImagePullBackOff;
                    if (now < due) return (c, due, null);
                    return (c with { Phase = ContainerPhase.PullBackOff, Since = now }, now + PullBackOffDuration(c, o),
                        new KubeletEvent("Normal", "BackOff", $"Back-off pulling image \"{c.Image}\"", c.Name));
                }

            case ContainerPhase.PullBackOff:
                {
                    var due = c.Since + PullBackOffDuration(c, o);
                    if (now < due) return (c, due, null);
                    return behaviour?.Kind == ImageBehaviourKind.PullFails ? PullFailed(c, now) : Start(c, now);
                }

            case ContainerPhase.Running:
                {
                    var exitCode = behaviour?.Kind is ImageBehaviourKind.CrashLoop or ImageBehaviourKind.Exit ? behaviour.ExitCode
                        : batchExitsByDefault && restartPolicy != "Always" ? 0
                        : (int?)null;
                    if (exitCode is null) return (c, null, null);
                    var due = c.StartedAt!.Value + o.RunDuration;
                    if (now < due) return (c, due, null);
                    return Exit(c, exitCode.Value, restartPolicy, now);
                }

            case ContainerPhase.CrashBackOff:
                {
                    var due = c.Since + o.CrashLoopBackOff;
                    if (now < due) return (c, due, null);
                    return Start(c with { RestartCount = c.RestartCount + 1 }, now);
                }

            default:
                return (c, null, null);
        }
    }

    /// <summary>The waiting message of CrashLoopBackOff, as the kubelet words it.</summary>
    public static string CrashLoopMessage(string container, string pod, string ns, string uid, TimeSpan backOff) =>
        $"back-off {GoDuration(backOff)} restarting failed container={container} pod={pod}_{ns}({uid})";

    /// <summary>The reference the runtime resolves an image name to (docker.io/library/… for short names).</summary>
    public static string NormalizeImage(string image)
    {
        var name = image;
        var slash = name.IndexOf('/');
        var first = slash < 0 ? "" : name[..slash];
        if (slash < 0) name = "docker.io/library/" + name;
        else if (!first.Contains('.') && !first.Contains(':') && first != "localhost") name = "docker.io/" + name;
        var lastSlash = name.LastIndexOf('/');
        if (!name.Contains('@') && name.IndexOf(':', lastSlash + 1) < 0) name += ":latest";
        return name;
    }

    /// <summary>repo@sha256:digest, with a digest derived from the image name (stable across runs).</summary>
    public static string ImageId(string image)
    {
        var normalized = NormalizeImage(image);
        var at = normalized.IndexOf('@');
        if (at >= 0) return normalized;
        var colon = normalized.LastIndexOf(':');
        var repo = colon > normalized.LastIndexOf('/') ? normalized[..colon] : normalized;
        return $"{repo}@sha256:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))}";
    }

    public static string NewContainerId() => "containerd://" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Go's time.Duration.String() for the short durations used here (500ms, 10s, 1m30s).</summary>
    public static string GoDuration(TimeSpan d)
    {
        if (d < TimeSpan.FromSeconds(1)) return $"{(long)d.TotalMilliseconds}ms";
        if (d < TimeSpan.FromMinutes(1)) return $"{d.TotalSeconds:0.###}s";
        return $"{(int)d.TotalMinutes}m{d.Seconds}s";
    }

    private static TimeSpan PullBackOffDuration(ContainerRuntime c, KubeletOptions o) =>
        o.ImagePullBackOff * Math.Min(8, 1 << Math.Min(3, Math.Max(0, c.PullFailures - 1)));

    private static (ContainerRuntime, DateTimeOffset?, KubeletEvent?) PullFailed(ContainerRuntime c, DateTimeOffset now)
    {
        var reference = NormalizeImage(c.Image);
        var message = $"Failed to pull image \"{c.Image}\": rpc error: code = NotFound desc = failed to pull and unpack image \"{reference}\": " +
                      $"failed to resolve reference \"{reference}\": {reference}: not found";
        return (c with { Phase = ContainerPhase.PullError, Since = now, PullFailures = c.PullFailures + 1 }, now, new KubeletEvent("Warning", "Failed", message, c.Name));
    }

    private static (ContainerRuntime, DateTimeOffset?, KubeletEvent?) Start(ContainerRuntime c, DateTimeOffset now) =>
        (c with { Phase = ContainerPhase.Running, Since = now, StartedAt = now, ContainerId = NewContainerId(), Terminated = null, PullFailures = 0 },
            now, new KubeletEvent("Normal", "Started", $"Started container {c.Name}", c.Name));

    private static (ContainerRuntime, DateTimeOffset?, KubeletEvent?) Exit(ContainerRuntime c, int exitCode, string restartPolicy, DateTimeOffset now)
    {
        var termination = new Termination(exitCode, exitCode == 0 ? "Completed" : "Error", c.StartedAt ?? now, now, c.ContainerId ?? NewContainerId());
        var restart = restartPolicy == "Always" || (restartPolicy == "OnFailure" && exitCode != 0);
        if (!restart)
        {
            return (c with { Phase = ContainerPhase.Terminated, Since = now, Terminated = termination }, null, null);
        }

        // The kubelet restarts a container at once the first time; from the second exit on it waits in CrashLoopBackOff.
        if (c.RestartCount == 0 && c.LastTermination is null)
        {
            var (started, next, _) = Start(c with { RestartCount = 1, LastTermination = termination }, now);
            return (started, next, null);
        }

        return (c with { Phase = ContainerPhase.CrashBackOff, Since = now, LastTermination = termination, StartedAt = null },
            now, new KubeletEvent("Warning", "BackOff", $"Back-off restarting failed container {c.Name}", c.Name));
    }
}
