using System.Collections.Concurrent;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Sandbox.Cluster.Machinery;

/// <summary>The object an event is about (involvedObject).</summary>
internal sealed record EventTarget(string ApiVersion, string Kind, string? Namespace, string Name, string? Uid, string? ResourceVersion = null, string? FieldPath = null)
{
    public static EventTarget Of(V1Pod p, string? fieldPath = null) =>
        new("v1", "Pod", p.Metadata.NamespaceProperty, p.Metadata.Name, p.Metadata.Uid, p.Metadata.ResourceVersion, fieldPath);

    public static EventTarget Of(V1Deployment d) => new("apps/v1", "Deployment", d.Metadata.NamespaceProperty, d.Metadata.Name, d.Metadata.Uid, d.Metadata.ResourceVersion);

    public static EventTarget Of(V1ReplicaSet r) => new("apps/v1", "ReplicaSet", r.Metadata.NamespaceProperty, r.Metadata.Name, r.Metadata.Uid, r.Metadata.ResourceVersion);

    public static EventTarget Of(V1Job j) => new("batch/v1", "Job", j.Metadata.NamespaceProperty, j.Metadata.Name, j.Metadata.Uid, j.Metadata.ResourceVersion);

    /// <summary>Node events name the node by name as its uid too, as the kubelet's node reference does.</summary>
    public static EventTarget Of(V1Node n) => new("v1", "Node", null, n.Metadata.Name, n.Metadata.Name);

    public static EventTarget Of(V1PersistentVolumeClaim c) =>
        new("v1", "PersistentVolumeClaim", c.Metadata.NamespaceProperty, c.Metadata.Name, c.Metadata.Uid, c.Metadata.ResourceVersion);
}

/// <summary>
/// Writes core/v1 Events the way client-go's recorder does: the same (object, reason, message,
/// source) repeated bumps count and lastTimestamp of the existing Event instead of creating another.
/// Failures are logged, never thrown: an event is never worth failing a reconcile for.
/// </summary>
internal sealed class EventRecorder
{
    private readonly IKubernetes _client;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, (string Name, int Count)> _seen = new(StringComparer.Ordinal);

    public EventRecorder(IKubernetes client, TimeProvider clock, ILogger log)
    {
        _client = client;
        _clock = clock;
        _log = log;
    }

    public Task NormalAsync(string component, string? host, EventTarget target, string reason, string message, CancellationToken ct) =>
        RecordAsync(component, host, target, "Normal", reason, message, ct);

    public Task WarningAsync(string component, string? host, EventTarget target, string reason, string message, CancellationToken ct) =>
        RecordAsync(component, host, target, "Warning", reason, message, ct);

    private async Task RecordAsync(string component, string? host, EventTarget target, string type, string reason, string message, CancellationToken ct)
    {
        var ns = string.IsNullOrEmpty(target.Namespace) ? "default" : target.Namespace;
        var key = string.Join('\u0001', target.Uid, target.FieldPath, component, type, reason, message);
        var now = _clock.GetUtcNow().UtcDateTime;
        try
        {
            if (_seen.TryGetValue(key, out var seen))
            {
                var count = seen.Count + 1;
                var patch = new { count, lastTimestamp = now };
                await _client.CoreV1.PatchNamespacedEventAsync(new V1Patch(KubernetesJson.Serialize(patch), V1Patch.PatchType.MergePatch),
                    seen.Name, ns, cancellationToken: ct).ConfigureAwait(false);
                _seen[key] = (seen.Name, count);
                return;
            }

            var name = $"{target.Name}.{(_clock.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000 + Random.Shared.Next(1_000_000)):x}";
            var ev = new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
                InvolvedObject = new V1ObjectReference
                {
                    ApiVersion = target.ApiVersion,
                    Kind = target.Kind,
                    NamespaceProperty = target.Namespace,
                    Name = target.Name,
                    Uid = target.Uid,
                    ResourceVersion = target.ResourceVersion,
                    FieldPath = target.FieldPath,
                },
                Reason = reason,
                Message = message,
                Type = type,
                Count = 1,
                FirstTimestamp = now,
                LastTimestamp = now,
                Source = new V1EventSource { Component = component, Host = host },
                ReportingComponent = component,
                ReportingInstance = host is null ? component : $"{component}-{host}",
            };
            await _client.CoreV1.CreateNamespacedEventAsync(ev, ns, cancellationToken: ct).ConfigureAwait(false);
            _seen[key] = (name, 1);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            _log.LogDebug(e, "event {Reason} for {Kind} {Name} not recorded", reason, target.Kind, target.Name);
            _seen.TryRemove(key, out _);
        }
    }
}
