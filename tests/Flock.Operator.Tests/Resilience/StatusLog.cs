using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Flock.Operator.Tests.Resilience;

/// <summary>One status the operator wrote: the resource, its phase and each condition's type=status/reason.</summary>
public sealed record StatusWrite(string Name, string? Phase, IReadOnlyDictionary<string, (string Status, string Reason, string Message)> Conditions)
{
    public bool Has(string type, string reason) => Conditions.TryGetValue(type, out var c) && c.Reason == reason;

    public string Message(string type) => Conditions.TryGetValue(type, out var c) ? c.Message : "";

    public bool Stalled => Conditions.TryGetValue("Stalled", out var c) && c.Status == "True";

    public override string ToString() => $"{Name}: {Phase} {string.Join(", ", Conditions.Select(c => $"{c.Key}={c.Value.Status}/{c.Value.Reason}"))}";
}

/// <summary>
/// Every status one operator identity writes in one namespace, in order, seen at the API server: so a test can say
/// which conditions showed while a fault lasted, including ones that were only there for a moment.
/// </summary>
public sealed class StatusLog : IDisposable
{
    private readonly ConcurrentQueue<StatusWrite> _writes = new();
    private readonly IDisposable _subscription;

    public StatusLog(ResilienceSandbox sandbox, string user, string ns) =>
        _subscription = sandbox.Taps.OnWrite(write =>
        {
            if (write.User == user && write.Namespace == ns && write.Group == "flock.io" && write.Subresource == "status" && write.Object?["status"] is JsonObject status)
            {
                _writes.Enqueue(Parse(write.Name ?? "", status));
            }

            return Task.CompletedTask;
        });

    public IReadOnlyList<StatusWrite> Writes => _writes.ToList();

    /// <summary>The writes from a mark on (<see cref="Mark"/>), for "while the fault lasted".</summary>
    public IReadOnlyList<StatusWrite> Since(int mark) => _writes.Skip(mark).ToList();

    public int Mark() => _writes.Count;

    public bool Showed(string name, string type, string reason, int since = 0) => Since(since).Any(w => w.Name == name && w.Has(type, reason));

    public string Describe(int since = 0) => string.Join("; ", Since(since));

    public void Dispose() => _subscription.Dispose();

    private static StatusWrite Parse(string name, JsonObject status)
    {
        var conditions = new Dictionary<string, (string, string, string)>(StringComparer.Ordinal);
        foreach (var c in status["conditions"]?.AsArray() ?? [])
        {
            if (c?["type"]?.GetValue<string>() is { } type) conditions[type] = (c["status"]?.GetValue<string>() ?? "", c["reason"]?.GetValue<string>() ?? "", c["message"]?.GetValue<string>() ?? "");
        }

        return new StatusWrite(name, status["phase"]?.GetValue<string>(), conditions);
    }
}
