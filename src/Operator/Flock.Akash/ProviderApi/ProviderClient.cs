using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flock.Akash.ProviderApi;

/// <summary>
/// The operator's client of the Akash provider API (provider gateway/rest/router.go): read the provider's status,
/// send a manifest, read lease status, read logs. HTTPS to the provider's host_uri with its certificate pinned to the chain; authenticated with
/// a JWT naming only that provider (cached per provider for half its life) or an mTLS certificate, never both. Failures are <see cref="ProviderException"/>; every
/// call is an Activity of <see cref="ProviderTelemetry.SourceName"/>. Tokens, keys and manifests never reach
/// logs, spans or exception messages. Thread-safe; keep one per process.
/// </summary>
public sealed partial class ProviderClient : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ProviderChannel>> _channels = new(StringComparer.Ordinal);
    private readonly ProviderClientOptions _options;
    private readonly ILogger<ProviderClient> _logger;
    private readonly TimeProvider _time;
    private readonly ProviderTokens _tokens;

    public ProviderClient(ProviderClientOptions? options = null, ILogger<ProviderClient>? logger = null, TimeProvider? timeProvider = null)
    {
        _options = options ?? new ProviderClientOptions();
        _logger = logger ?? NullLogger<ProviderClient>.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _tokens = new ProviderTokens(_time);
    }

    /// <summary>
    /// PUT /deployment/{dseq}/manifest with <paramref name="manifestJson"/> sent byte for byte (the provider hashes
    /// it and compares with the deployment's on-chain version). 200 = accepted; 422 → ManifestRejected; 404 → LeaseNotFound.
    /// </summary>
    public async Task SendManifestAsync(ProviderEndpoint provider, ulong dseq, string manifestJson, ProviderAuth auth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrEmpty(manifestJson);
        ArgumentNullException.ThrowIfNull(auth);
        var path = string.Create(CultureInfo.InvariantCulture, $"/deployment/{dseq}/manifest");
        using var activity = Start("provider PUT manifest", provider, dseq, null);
        var secrets = ManifestSecrets.ValuesOf(manifestJson);
        await SendAsync(provider, auth, activity, "send manifest", dseq, secrets, async (channel, ct) =>
        {
            using var request = NewRequest(HttpMethod.Put, provider, path, auth);
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(manifestJson));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await channel.Invoker.SendAsync(request, ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, provider, "send manifest", dseq, secrets, activity, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET /lease/{dseq}/{gseq}/{oseq}/status. 404 → LeaseNotFound (no lease, or no manifest yet); malformed body → BadResponse.</summary>
    public async Task<LeaseStatus> GetLeaseStatusAsync(ProviderEndpoint provider, LeaseId lease, ProviderAuth auth, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(auth);
        using var activity = Start("provider GET lease status", provider, lease.Dseq, lease);
        return await SendAsync(provider, auth, activity, "read lease status", lease.Dseq, [], async (channel, ct) =>
        {
            using var request = NewRequest(HttpMethod.Get, provider, $"/lease/{lease}/status", auth);
            using var response = await channel.Invoker.SendAsync(request, ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, provider, "read lease status", lease.Dseq, [], activity, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            try
            {
                return LeaseStatusJson.Parse(body);
            }
            catch (FormatException e)
            {
                throw new ProviderException(ProviderErrorKind.BadResponse, (int)response.StatusCode,
                    $"Provider {provider.Address} returned a lease status for {lease} that cannot be read: {e.Message}.");
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// GET /status, without credentials (the gateway serves it to anyone): whether the provider is alive and what it
    /// reports. A tenant asks this before leasing, as Console does (deploy-web useProvidersQuery.ts
    /// useFirstReachableProvider, PROVIDER_STATUS_PROBE_TIMEOUT_MS = 5000). <paramref name="timeout"/> bounds the whole
    /// call; no answer within it → Unreachable, an error status → its kind, a 200 that is not a provider status → BadResponse.
    /// </summary>
    public async Task<ProviderStatus> GetProviderStatusAsync(ProviderEndpoint provider, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        using var activity = Start("provider GET status", provider, null, null);
        return await SendAsync(provider, null, activity, "read provider status", null, [], async (channel, ct) =>
        {
            using var request = NewRequest(HttpMethod.Get, provider, "/status", null);
            using var response = await channel.Invoker.SendAsync(request, ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, provider, "read provider status", null, [], activity, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            try
            {
                return ProviderStatusJson.Parse(body);
            }
            catch (FormatException e)
            {
                throw new ProviderException(ProviderErrorKind.BadResponse, (int)response.StatusCode,
                    $"Provider {provider.Address} answered /status with something that is not a provider status: {e.Message}.");
            }
        }, cancellationToken, timeout).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values.Where(c => c.IsValueCreated))
        {
            channel.Value.Dispose();
        }

        _channels.Clear();
    }

    private ProviderChannel ChannelFor(ProviderEndpoint provider, ProviderAuth? auth)
    {
        var certificate = auth is CertificateAuth c ? c.ClientCertificate : null;
        return _channels.GetOrAdd(ProviderChannel.KeyOf(provider, certificate),
            _ => new Lazy<ProviderChannel>(() => new ProviderChannel(provider, certificate, _options, _time))).Value;
    }

    private HttpRequestMessage NewRequest(HttpMethod method, ProviderEndpoint provider, string path, ProviderAuth? auth)
    {
        var request = new HttpRequestMessage(method, new Uri(provider.HostUri, path)) { Version = System.Net.HttpVersion.Version11 };
        // chain-sdk's client names the server "mtls.<host>": a provider serves its on-chain certificate (the one we
        // pin) for any name other than its public hostname, for which it may have a CA-signed one. .NET takes SNI from Host.
        request.Headers.Host = MtlsHost(provider.HostUri);
        if (auth is JwtAuth jwt)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _tokens.For(jwt, provider.Address));
        }

        return request;
    }

    internal static string MtlsHost(Uri uri) => "mtls." + uri.IdnHost + (uri.IsDefaultPort ? string.Empty : ":" + uri.Port.ToString(CultureInfo.InvariantCulture));

    private static Activity? Start(string name, ProviderEndpoint provider, ulong? dseq, LeaseId? lease)
    {
        var activity = ProviderTelemetry.Source.StartActivity(name, ActivityKind.Client);
        if (activity is not null)
        {
            activity.SetTag("akash.provider", provider.Address);
            if (dseq is { } d)
            {
                activity.SetTag("akash.dseq", d.ToString(CultureInfo.InvariantCulture));
            }

            activity.SetTag("server.address", provider.HostUri.Host);
            activity.SetTag("server.port", provider.HostUri.Port);
            if (lease is not null)
            {
                activity.SetTag("akash.gseq", lease.Gseq);
                activity.SetTag("akash.oseq", lease.Oseq);
            }
        }

        return activity;
    }
}
