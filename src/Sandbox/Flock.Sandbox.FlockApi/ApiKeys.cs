using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace Flock.Sandbox.FlockApi;

/// <summary>
/// The keys the simulator accepts in the flock-api-key header (the header every keyed call of the quickstart and both
/// validators sends: testnet-training-node-quickstart utils/flock_api.py, FLock-validator validator/api.py,
/// llm-loss-validator src/client/fed_ledger.py). Each key has a holder name; records and limits use the holder,
/// never the key, so a key cannot surface in a test's output or a log.
/// </summary>
internal sealed class ApiKeys
{
    public const string Header = "flock-api-key";

    // The real detail text for a missing or unknown key is not in any public client; this one is ours.
    public const string InvalidKeyDetail = "Invalid API key";

    private readonly ConcurrentDictionary<string, string> _holders = new(StringComparer.Ordinal);
    private int _unnamed;

    public string Issue(string key, string? holder)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        var name = holder ?? $"key-{Interlocked.Increment(ref _unnamed)}";
        _holders[key] = name;
        return name;
    }

    /// <summary>The holder of the request's key, or null when the header is missing or the key unknown.</summary>
    public string? HolderOf(HttpContext context) =>
        context.Request.Headers.TryGetValue(Header, out var key) && _holders.TryGetValue(key.ToString(), out var holder) ? holder : null;
}
