using System.Globalization;
using System.Text.Json.Nodes;
using Flock.Akash.Protos.MarketV1;

namespace Flock.Sandbox.AkashProvider;

/// <summary>One lease this provider holds: when it was won, its manifest group once received, and its workload.</summary>
internal sealed class LeaseRecord(LeaseID id, string groupName, DateTimeOffset manifestDeadline)
{
    public LeaseID Id { get; } = id;

    public string GroupName { get; } = groupName;

    public DateTimeOffset ManifestDeadline { get; } = manifestDeadline;

    /// <summary>The manifest group for this lease's group (null until a manifest arrives).</summary>
    public JsonObject? ManifestGroup { get; set; }

    public DateTimeOffset ReadyAt { get; set; }

    public List<(string Pod, string Line)> Logs { get; } = [];

    /// <summary>Node ports given to global non-80 exposes, per "service/port".</summary>
    public Dictionary<string, int> NodePorts { get; } = new(StringComparer.Ordinal);

    /// <summary>True once the provider decided to walk away (so it closes the lease only once).</summary>
    public bool Closing { get; set; }

    public string Key => LeaseBook.KeyOf(Id.Owner, Id.Dseq, Id.Gseq, Id.Oseq);

    public bool IsReady(DateTimeOffset now) => ManifestGroup is not null && now >= ReadyAt;
}

/// <summary>The provider's leases, shared by the bid engine (adds, removes, times out) and the gateway (manifests, status, logs).</summary>
internal sealed class LeaseBook
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LeaseRecord> _leases = new(StringComparer.Ordinal);
    private int _nextNodePort = 31000;

    public static string KeyOf(string owner, ulong dseq, uint gseq, uint oseq) =>
        string.Create(CultureInfo.InvariantCulture, $"{owner}/{dseq}/{gseq}/{oseq}");

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _leases.Count;
            }
        }
    }

    public int WithManifest
    {
        get
        {
            lock (_gate)
            {
                return _leases.Values.Count(l => l.ManifestGroup is not null);
            }
        }
    }

    /// <summary>Starts tracking a newly won lease; false if it was already known.</summary>
    public bool Add(LeaseRecord lease)
    {
        lock (_gate)
        {
            return _leases.TryAdd(lease.Key, lease);
        }
    }

    public IReadOnlyList<string> Keys()
    {
        lock (_gate)
        {
            return _leases.Keys.ToList();
        }
    }

    public LeaseRecord? Remove(string key)
    {
        lock (_gate)
        {
            return _leases.Remove(key, out var lease) ? lease : null;
        }
    }

    /// <summary>Runs <paramref name="read"/> on the lease under the lock; default when unknown.</summary>
    public T With<T>(string owner, ulong dseq, uint gseq, uint oseq, Func<LeaseRecord?, T> read)
    {
        lock (_gate)
        {
            return read(_leases.GetValueOrDefault(KeyOf(owner, dseq, gseq, oseq)));
        }
    }

    /// <summary>Marks a lease the provider is closing: it gets no manifest and is not timed out twice.</summary>
    public void MarkClosing(string key)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var lease))
            {
                lease.Closing = true;
            }
        }
    }

    /// <summary>Leases past their manifest deadline without a manifest, marked as closing.</summary>
    public IReadOnlyList<LeaseRecord> TakeOverdue(DateTimeOffset now)
    {
        lock (_gate)
        {
            var overdue = _leases.Values.Where(l => l.ManifestGroup is null && !l.Closing && now >= l.ManifestDeadline).ToList();
            overdue.ForEach(l => l.Closing = true);
            return overdue;
        }
    }

    /// <summary>
    /// Gives each of the deployment's leases its group of <paramref name="manifest"/> (matched by group name);
    /// returns how many leases took a group. A lease that already runs the identical group keeps running.
    /// </summary>
    public int Apply(string owner, ulong dseq, JsonArray manifest, DateTimeOffset readyAt, string host)
    {
        lock (_gate)
        {
            var applied = 0;
            foreach (var lease in _leases.Values.Where(l => l.Id.Owner == owner && l.Id.Dseq == dseq && !l.Closing))
            {
                var group = manifest.OfType<JsonObject>().FirstOrDefault(g => Str(g["name"]) == lease.GroupName);
                if (group is null)
                {
                    continue;
                }

                applied++;
                if (lease.ManifestGroup is not null && JsonNode.DeepEquals(lease.ManifestGroup, group))
                {
                    continue;
                }

                lease.ManifestGroup = (JsonObject)group.DeepClone();
                lease.ReadyAt = readyAt;
                lease.Logs.Clear();
                foreach (var service in Services(lease.ManifestGroup))
                {
                    var name = Str(service["name"]) ?? "service";
                    var pod = $"{name}-{Hash(lease.Key + name)[..10]}-{Hash(name + lease.Key)[..5]}";
                    lease.Logs.Add((pod, $"Pulling image \"{Str(service["image"])}\""));
                    lease.Logs.Add((pod, $"Started container {name}"));
                    lease.Logs.Add((pod, $"{name} is running on {host}"));
                    foreach (var expose in Exposes(service).Where(e => e.Global && e.ExternalPort != 80))
                    {
                        lease.NodePorts.TryAdd($"{name}/{expose.Port}", _nextNodePort++);
                    }
                }
            }

            return applied;
        }
    }

    public static IEnumerable<JsonObject> Services(JsonObject group) =>
        (group["services"] as JsonArray)?.OfType<JsonObject>() ?? [];

    public static IEnumerable<(int Port, int ExternalPort, string Proto, bool Global, IReadOnlyList<string> Hosts)> Exposes(JsonObject service) =>
        ((service["expose"] as JsonArray)?.OfType<JsonObject>() ?? []).Select(e => (
            Int(e["port"]),
            Int(e["externalPort"]) is var ext && ext != 0 ? ext : Int(e["port"]),
            Str(e["proto"]) ?? "TCP",
            e["global"] is JsonValue g && g.TryGetValue<bool>(out var b) && b,
            (IReadOnlyList<string>)((e["hosts"] as JsonArray)?.Select(h => Str(h) ?? string.Empty).Where(h => h.Length > 0).ToList() ?? [])));

    public static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static int Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;

    public static string Hash(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
