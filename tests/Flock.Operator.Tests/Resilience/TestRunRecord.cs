using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Flock.Operator.Tests.Integration;
using Flock.Sandbox.ApiServer.Machinery;
using k8s;

namespace Flock.Operator.Tests.Resilience;

using Sandbox = Flock.Operator.Tests.Integration.Sandbox;

/// <summary>What the secret scan looked at and what it found; <see cref="Hits"/> never quote the secret.</summary>
public sealed record SecretScanResult(int Lines, int Events, int Statuses, int SpanValues, int Exceptions, int Secrets, int TooShort, IReadOnlyList<string> Hits)
{
    public override string ToString() =>
        $"{Lines} log lines, {Events} events, {Statuses} statuses, {SpanValues} span values, {Exceptions} exception messages scanned for {Secrets} secret patterns ({TooShort} values too short to scan); {Hits.Count} hits";
}

/// <summary>
/// Everything the operator said during the whole test process, for one scan at the end: every log line of every
/// <see cref="OperatorHarness"/> and <see cref="OperatorProcess"/>, every event and status written or left in a
/// sandbox's store, every tag of the operator's spans (ActivitySource "Flock.*"), every exception message thrown in the
/// operator's assemblies — and every secret value the tests put into a Secret. Process-wide by nature (one test run),
/// so one static instance; everything in it is append-only and thread-safe.
/// </summary>
public sealed class TestRunRecord
{
    private const int MinimumSecretLength = 6;
    private static readonly HashSet<string> OperatorAssemblies = ["flock-operator", "Flock.Akash", "Flock.Crds"];

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentQueue<string> _statuses = new();
    private readonly ConcurrentQueue<string> _spans = new();
    private readonly ConcurrentQueue<string> _exceptions = new();
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _tooShort = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _captureFailures = new();
    private readonly ActivityListener? _spansListener;

    /// <param name="listen">Also collect spans and exception messages of this process (only the run-wide record does).</param>
    internal TestRunRecord(bool listen)
    {
        if (!listen) return;
        _spansListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Flock.", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Span,
        };
        ActivitySource.AddActivityListener(_spansListener);
        AppDomain.CurrentDomain.FirstChanceException += (_, e) =>
        {
            if (e.Exception.TargetSite?.Module.Assembly.GetName().Name is { } name && OperatorAssemblies.Contains(name)) _exceptions.Enqueue(e.Exception.Message);
        };
    }

    /// <summary>The test process's record.</summary>
    public static TestRunRecord Run { get; } = new(listen: true);

    /// <summary>Fixtures whose store could not be read at the end (the scan would have missed them).</summary>
    public IReadOnlyList<string> CaptureFailures => _captureFailures.ToList();

    public void Line(string line) => _lines.Enqueue(line);

    /// <summary>A value that must never show; mnemonics are scanned as runs of three words (one BIP39 word is ordinary English).</summary>
    public void Secret(string value, string what)
    {
        var words = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length >= 12 && words.All(w => w.All(char.IsAsciiLetterLower)))
        {
            for (var i = 0; i + 3 <= words.Length; i++) _secrets.TryAdd(string.Join(' ', words[i..(i + 3)]), what + " (three words of a mnemonic)");
            return;
        }

        if (value.Trim().Length < MinimumSecretLength) _tooShort.TryAdd(value, 0);
        else _secrets.TryAdd(value.Trim(), what);
    }

    /// <summary>A write the sandbox applied: Secrets give their values, events and statuses are kept for the scan.</summary>
    public void ObserveWrite(ApiWrite write)
    {
        if (write.Object is not { } obj) return;
        switch (write.Resource)
        {
            case "secrets":
                HarvestSecret(obj);
                break;
            case "events":
                _events.Enqueue(obj.ToJsonString());
                break;
            default:
                if (write.Group == "flock.io" && obj["status"] is JsonObject status) _statuses.Enqueue(status.ToJsonString());
                break;
        }
    }

    /// <summary>At the end of a fixture: its Secrets (values), events and the status of every FLock resource left.</summary>
    public async Task CaptureAsync(Sandbox sandbox)
    {
        try
        {
            sandbox.Server.Faults.Reset();
            var client = sandbox.Client();
            foreach (var secret in (await client.CoreV1.ListSecretForAllNamespacesAsync()).Items) HarvestSecret(JsonNode.Parse(KubernetesJson.Serialize(secret))!.AsObject());
            foreach (var e in (await client.CoreV1.ListEventForAllNamespacesAsync()).Items) _events.Enqueue(KubernetesJson.Serialize(e));
            foreach (var plural in new[] { "flocktrainingnodes", "flockvalidators" })
            {
                try
                {
                    var list = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(await client.CustomObjects.ListClusterCustomObjectAsync("flock.io", "v1alpha1", plural)))!;
                    foreach (var item in list["items"]?.AsArray() ?? []) if (item?["status"] is JsonObject status) _statuses.Enqueue(status.ToJsonString());
                }
                catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
                {
                    // The fixture never installed the CRDs.
                }
            }
        }
        catch (Exception e)
        {
            _captureFailures.Enqueue($"{sandbox.GetType().Name}: {e.GetType().Name}");
        }
    }

    /// <summary>Looks for every secret in everything recorded so far.</summary>
    public SecretScanResult Scan()
    {
        var secrets = _secrets.ToArray();
        var hits = new List<string>();
        var lines = _lines.ToList();
        var events = _events.ToList();
        var statuses = _statuses.ToList();
        var spans = _spans.ToList();
        var exceptions = _exceptions.ToList();
        if (secrets.Length > 0)
        {
            var search = SearchValues.Create(secrets.Select(s => s.Key).ToArray(), StringComparison.OrdinalIgnoreCase);
            foreach (var (kind, texts) in new[] { ("log line", lines), ("event", events), ("status", statuses), ("span value", spans), ("exception message", exceptions) })
            {
                foreach (var text in texts)
                {
                    var at = text.AsSpan().IndexOfAny(search);
                    if (at < 0) continue;
                    var secret = secrets.First(s => text.AsSpan(at).StartsWith(s.Key, StringComparison.OrdinalIgnoreCase));
                    hits.Add($"a {kind} contains {secret.Value} at offset {at}: {Mask(text, at, secret.Key.Length)}");
                }
            }
        }

        return new SecretScanResult(lines.Count, events.Count, statuses.Count, spans.Count, exceptions.Count, secrets.Length, _tooShort.Count, hits);
    }

    private void HarvestSecret(JsonObject secret)
    {
        var name = $"Secret {secret["metadata"]?["namespace"]}/{secret["metadata"]?["name"]}";
        foreach (var (field, decode) in new[] { ("data", true), ("stringData", false) })
        {
            if (secret[field] is not JsonObject values) continue;
            foreach (var (key, node) in values)
            {
                // A user name is an identity, not a secret (it shows in status by design).
                if (key.Contains("user", StringComparison.OrdinalIgnoreCase) || node?.GetValue<string>() is not { } raw) continue;
                var value = decode ? Encoding.UTF8.GetString(Convert.FromBase64String(raw)) : raw;
                Secret(value, $"{name} key {key}");
            }
        }
    }

    private void Span(Activity activity)
    {
        _spans.Enqueue(activity.DisplayName);
        if (activity.StatusDescription is { } description) _spans.Enqueue(description);
        foreach (var tag in activity.TagObjects) _spans.Enqueue($"{tag.Key}={tag.Value}");
        foreach (var e in activity.Events)
        {
            _spans.Enqueue(e.Name);
            foreach (var tag in e.Tags) _spans.Enqueue($"{tag.Key}={tag.Value}");
        }
    }

    private static string Mask(string text, int at, int length)
    {
        var start = Math.Max(0, at - 80);
        var end = Math.Min(text.Length, at + length + 80);
        return text[start..at] + "<SECRET>" + text[(at + length)..end];
    }
}
