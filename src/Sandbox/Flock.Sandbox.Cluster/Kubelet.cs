using System.Collections.Concurrent;
using Flock.Sandbox.Cluster.Kubelets;

namespace Flock.Sandbox.Cluster;

/// <summary>
/// Test and demo control of the simulated kubelets: which images fail to pull, crash or exit, and
/// what containers log. Changes apply to containers started (or pulled) from then on, and wake the
/// kubelet loop at once.
/// </summary>
public sealed class Kubelet
{
    private readonly ConcurrentDictionary<string, ImageBehaviour> _behaviours = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> _startLogs = new(StringComparer.Ordinal);
    private readonly IPodLogSink? _sink;
    private readonly TimeProvider _clock;

    internal Kubelet(IPodLogSink? sink, TimeProvider clock)
    {
        _sink = sink;
        _clock = clock;
    }

    /// <summary>Raised when a behaviour changes, so the kubelet loop re-evaluates its pods.</summary>
    internal event Action? Changed;

    /// <summary>Pods with this image get ErrImagePull, then ImagePullBackOff (the image does not exist in the registry).</summary>
    public void FailImagePull(string image) => Set(image, new ImageBehaviour(ImageBehaviourKind.PullFails));

    /// <summary>Containers of this image run, then terminate with <paramref name="exitCode"/>; restartPolicy Always restarts them into CrashLoopBackOff.</summary>
    public void CrashLoop(string image, int exitCode) => Set(image, new ImageBehaviour(ImageBehaviourKind.CrashLoop, exitCode));

    /// <summary>Containers of this image run, then exit with <paramref name="exitCode"/> (0 = success); for Job pods.</summary>
    public void ExitWith(string image, int exitCode) => Set(image, new ImageBehaviour(ImageBehaviourKind.Exit, exitCode));

    /// <summary>Removes any injected behaviour: pulls succeed and containers keep running again.</summary>
    public void Heal(string image)
    {
        _behaviours.TryRemove(image, out _);
        Changed?.Invoke();
    }

    /// <summary>Lines every container of this image writes when it starts.</summary>
    public void LogOnStart(string image, params string[] lines) => _startLogs[image] = lines;

    /// <summary>Appends one line to a container's log (served by pods/log through the sink).</summary>
    public void AppendLog(string @namespace, string pod, string container, string line) =>
        _sink?.Append(@namespace, pod, container, line, _clock.GetUtcNow());

    internal ImageBehaviour? BehaviourOf(string? image) => image is not null && _behaviours.TryGetValue(image, out var b) ? b : null;

    internal IReadOnlyList<string> StartLogsOf(string? image) => image is not null && _startLogs.TryGetValue(image, out var l) ? l : [];

    private void Set(string image, ImageBehaviour behaviour)
    {
        _behaviours[image] = behaviour;
        Changed?.Invoke();
    }
}
