namespace Flock.Sandbox.Cluster;

/// <summary>
/// Where the simulated kubelet writes container log lines, so pods/log can serve them. The sandbox API
/// server's in-process LogStore has exactly this shape (adapt it with a one-line class); without a
/// sink, lines are dropped.
/// </summary>
public interface IPodLogSink
{
    void Append(string @namespace, string pod, string container, string line, DateTimeOffset at);
}
