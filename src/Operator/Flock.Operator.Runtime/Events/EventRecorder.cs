using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Flock.Operator.Runtime.Client;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Events;

/// <summary>
/// Records core/v1 Events the way client-go's recorder does: a repeat of the same event (same object,
/// type, reason and message) bumps count and lastTimestamp on the existing Event instead of creating
/// another object. Recording is best effort: a failure is logged, never thrown into a reconcile.
/// </summary>
public sealed partial class EventRecorder(KubeRestClient client, string component, string instance, TimeProvider time, ILogger<EventRecorder> logger)
{
    private readonly Dictionary<string, (string Name, int Count)> _seen = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task NormalAsync(IKubernetesObject<V1ObjectMeta> obj, string reason, string message, CancellationToken ct) =>
        RecordAsync(obj, "Normal", reason, message, ct);

    public Task WarningAsync(IKubernetesObject<V1ObjectMeta> obj, string reason, string message, CancellationToken ct) =>
        RecordAsync(obj, "Warning", reason, message, ct);

    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, CancellationToken ct)
    {
        var ns = obj.Metadata.NamespaceProperty ?? "default";
        var aggregateKey = $"{obj.Metadata.Uid}|{type}|{reason}|{message}";
        // metav1.Time has second precision; a finer first time would sort after a later, truncated one.
        var utc = time.GetUtcNow().UtcDateTime;
        var now = new DateTime(utc.Ticks - utc.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        (string Name, int Count) previous;
        lock (_lock)
        {
            _seen.TryGetValue(aggregateKey, out previous);
        }

        try
        {
            if (previous.Name is not null)
            {
                var patch = new JsonObject { ["count"] = previous.Count + 1, ["lastTimestamp"] = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") };
                await client.MergePatchAsync<Corev1Event>(BuiltInKinds.Event, ns, previous.Name, patch, ct).ConfigureAwait(false);
                Remember(aggregateKey, previous.Name, previous.Count + 1);
                return;
            }
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // The event expired (events have a TTL); start a new one.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, reason);
            return;
        }

        var name = $"{obj.Metadata.Name}.{Suffix(aggregateKey, now)}";
        var ev = new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = obj.ApiVersion,
                Kind = obj.Kind,
                Name = obj.Metadata.Name,
                NamespaceProperty = obj.Metadata.NamespaceProperty,
                Uid = obj.Metadata.Uid,
                ResourceVersion = obj.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
            ReportingInstance = instance,
        };
        try
        {
            await client.CreateAsync(BuiltInKinds.Event, ns, ev, ct).ConfigureAwait(false);
            Remember(aggregateKey, name, 1);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(e, reason);
        }
    }

    private void Remember(string key, string name, int count)
    {
        lock (_lock)
        {
            // Bounded like client-go's LRU: forget everything rather than grow without end.
            if (_seen.Count > 4096) _seen.Clear();
            _seen[key] = (name, count);
        }
    }

    private static string Suffix(string key, DateTime now) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key + now.Ticks)))[..16];

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not record event {Reason}")]
    private partial void LogFailed(Exception e, string reason);
}
