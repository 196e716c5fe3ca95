using System.Collections.Concurrent;

namespace Flock.Sandbox.ApiServer.Machinery;

/// <summary>Container logs the simulated kubelet appends and <c>pods/log</c> serves.</summary>
public sealed class LogStore
{
    private readonly ConcurrentDictionary<(string Ns, string Pod, string Container), Buffer> _logs = new();

    /// <summary>Appends one line (without newline) to a container's log.</summary>
    public void Append(string ns, string pod, string container, string line, DateTimeOffset? at = null)
    {
        var buffer = _logs.GetOrAdd((ns, pod, container), _ => new Buffer());
        lock (buffer)
        {
            buffer.Lines.Add((at ?? DateTimeOffset.UtcNow, line));
            var waiters = buffer.Waiters;
            buffer.Waiters = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.TrySetResult();
        }
    }

    /// <summary>Forgets the logs of a pod (when it is deleted).</summary>
    public void Remove(string ns, string pod)
    {
        foreach (var key in _logs.Keys.Where(k => k.Ns == ns && k.Pod == pod).ToList())
        {
            if (_logs.TryRemove(key, out var b))
            {
                lock (b) b.Waiters.TrySetResult();
            }
        }
    }

    internal (List<(DateTimeOffset At, string Line)> Lines, Task More) Read(string ns, string pod, string container, int from)
    {
        var buffer = _logs.GetOrAdd((ns, pod, container), _ => new Buffer());
        lock (buffer)
        {
            return (buffer.Lines.Skip(from).ToList(), buffer.Waiters.Task);
        }
    }

    private sealed class Buffer
    {
        public List<(DateTimeOffset, string)> Lines { get; } = [];
        public TaskCompletionSource Waiters { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
