using System.Collections.Concurrent;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// The tokens <see cref="ProviderClient"/> sends, one per (owner, provider, scopes, lifetime). A token names only its
/// provider, so the provider it is sent to cannot replay it at another provider hosting the same owner's leases.
/// A token is reused for the first half of its life, then replaced: a reconcile pass (manifest, then status) signs
/// once per provider, and every token sent still has half its lifetime left. Thread-safe; tokens never leave
/// <see cref="For"/> except into an Authorization header.
/// </summary>
public sealed class ProviderTokens(TimeProvider? time = null)
{
    private readonly ConcurrentDictionary<Key, Entry> _entries = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The token to send to <paramref name="provider"/>: the cached one while in its first half of life, else a new one.</summary>
    public string For(JwtAuth auth, string provider)
    {
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        var now = _time.GetUtcNow();
        var key = new Key(auth.Owner, provider, auth.Scopes is null ? null : string.Join(',', auth.Scopes), auth.Lifetime);
        if (_entries.TryGetValue(key, out var cached) && now < cached.RenewAt)
        {
            return cached.Token;
        }

        // Two threads may both sign here; either token is valid, the last one stored wins.
        var token = ProviderJwt.Issue(auth.Wallet, auth.LeasesFor(provider), auth.Lifetime, _time);
        _entries[key] = new Entry(token, now + (auth.Lifetime / 2), now + auth.Lifetime);
        Prune(now);
        return token;
    }

    // Providers come and go with leases; drop tokens nobody can use any more so the cache stays small.
    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(new KeyValuePair<Key, Entry>(key, entry));
            }
        }
    }

    private readonly record struct Key(string Owner, string Provider, string? Scopes, TimeSpan Lifetime);

    private sealed record Entry(string Token, DateTimeOffset RenewAt, DateTimeOffset ExpiresAt)
    {
        // The token is a bearer credential: keep it out of any debug print.
        public override string ToString() => $"Entry(renew at {RenewAt:O}, expires {ExpiresAt:O})";
    }
}
