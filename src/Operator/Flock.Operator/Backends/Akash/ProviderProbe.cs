using Flock.Akash.Client;
using Flock.Akash.ProviderApi;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Backends.Akash;

/// <summary>
/// Asks a bidder whether it is alive before the operator leases from it: GET /status on its host_uri, its TLS
/// certificate pinned to the chain, within Akash:ProviderStatusTimeoutSeconds. A bid is cheap to place and a provider's
/// bid engine runs on even when its gateway is wedged or unreachable; leasing from such a provider locks the escrow
/// into a lease no manifest can reach until the grace period ends. Console probes the same way before it picks a
/// bid (akash-network/console deploy-web useProvidersQuery.ts useFirstReachableProvider: /status, 5 s per provider).
/// </summary>
public sealed partial class ProviderProbe(AkashChainClient chain, ProviderClient providers, AkashOptions options, ILogger<ProviderProbe> logger)
{
    private const int MaxReason = 256;

    private TimeSpan Timeout => TimeSpan.FromSeconds(Math.Clamp(options.ProviderStatusTimeoutSeconds, 0.1, 60));

    /// <summary>Null when the provider answered its /status in time; else why not, short enough for status.akash.avoidProviders.</summary>
    public async Task<string?> FailureAsync(string provider, CancellationToken ct)
    {
        try
        {
            var endpoint = await ProviderEndpoint.ResolveAsync(chain, provider, ct).ConfigureAwait(false);
            await providers.GetProviderStatusAsync(endpoint, Timeout, ct).ConfigureAwait(false);
            return null;
        }
        catch (ProviderException e)
        {
            var reason = Bound(e.Kind == ProviderErrorKind.Unreachable && e.StatusCode is null
                ? $"its /status did not answer within {Timeout.TotalSeconds:0.#} s before leasing ({e.Message})"
                : $"its /status failed before leasing ({e.Kind}: {e.Message})");
            LogSkipped(logger, provider, e.Kind, null);
            return reason;
        }
    }

    private static string Bound(string text) => text.Length <= MaxReason ? text : text[..(MaxReason - 1)] + "…";

    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Bidder {Provider} skipped: its /status did not answer properly ({Kind})")]
    private static partial void LogSkipped(ILogger logger, string provider, ProviderErrorKind kind, Exception? exception);
}
