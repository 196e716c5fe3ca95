using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Flock.Akash.ProviderApi;

/// <summary>How a provider call fails: status codes, transport errors and TLS refusals become <see cref="ProviderException"/>.</summary>
public sealed partial class ProviderClient
{
    private const int MaxErrorText = 300;

    // auth: null for the gateway's public routes (/status). dseq: null for provider-wide calls. limit: the whole
    // call's deadline, the client's request timeout when null.
    private async Task<T> SendAsync<T>(ProviderEndpoint provider, ProviderAuth? auth, Activity? activity, string operation, ulong? dseq,
        IReadOnlyCollection<string> secrets, Func<ProviderChannel, CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? limit = null)
    {
        var channel = ChannelFor(provider, auth);
        var rejectionsBefore = channel.Rejections;
        var deadline = limit ?? _options.EffectiveRequestTimeout;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        try
        {
            var result = await call(channel, timeout.Token).ConfigureAwait(false);
            Log.Succeeded(_logger, operation, provider.Address, dseq ?? 0, null);
            return result;
        }
        catch (ProviderException e)
        {
            throw Failed(e, provider, operation, dseq, activity);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failed(new ProviderException(ProviderErrorKind.Unreachable, null,
                $"Provider {provider.Address} at {provider.HostUri} did not answer '{operation}' within {deadline.TotalSeconds:0.#} s."), provider, operation, dseq, activity);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or WebSocketException or System.Security.Authentication.AuthenticationException)
        {
            var pinRefused = channel.Rejections != rejectionsBefore;
            throw Failed(Transport(e, provider, operation, pinRefused, auth is CertificateAuth), provider, operation, dseq, activity);
        }
    }

    private ProviderException Failed(ProviderException e, ProviderEndpoint provider, string operation, ulong? dseq, Activity? activity)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, e.Kind.ToString());
            activity.SetTag("akash.provider.error", e.Kind.ToString());
            if (e.StatusCode is { } code)
            {
                activity.SetTag("http.response.status_code", code);
            }
        }

        Log.Failed(_logger, operation, provider.Address, dseq ?? 0, e.Kind, e.StatusCode ?? 0, null);
        return e;
    }

    private static ProviderException Transport(Exception e, ProviderEndpoint provider, string operation, bool pinRefused, bool usedClientCertificate)
    {
        if (pinRefused)
        {
            return new ProviderException(ProviderErrorKind.UntrustedServerCertificate, null,
                $"Provider {provider.Address} at {provider.HostUri} presented a TLS certificate that is not one of its valid on-chain certificates; refusing to {operation}.", e);
        }

        var error = (e as HttpRequestException)?.HttpRequestError ?? HttpRequestError.Unknown;
        if (usedClientCertificate && !IsConnectFailure(e))
        {
            // A provider checks the client certificate against the chain during the handshake and drops the
            // connection when it is not valid (support#95 "socket hang up", console#1723): no status code to read.
            return new ProviderException(ProviderErrorKind.Unauthorized, null,
                $"Provider {provider.Address} closed the TLS connection after receiving our client certificate while trying to {operation}: "
                + "the certificate is probably not valid on chain for the owner (expired, revoked or never published).", e);
        }

        return new ProviderException(ProviderErrorKind.Unreachable, null,
            $"Provider {provider.Address} at {provider.HostUri} is unreachable ({Describe(e, error)}) while trying to {operation}.", e);
    }

    // Failures before TLS starts: nobody listening, no route, no name. A reset or EOF after connecting is not one
    // of these; with a client certificate it is how a provider turns the certificate down.
    private static bool IsConnectFailure(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException s)
            {
                return s.SocketErrorCode is System.Net.Sockets.SocketError.ConnectionRefused or System.Net.Sockets.SocketError.HostNotFound
                    or System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable
                    or System.Net.Sockets.SocketError.TimedOut or System.Net.Sockets.SocketError.TryAgain or System.Net.Sockets.SocketError.NoData;
            }
        }

        return (e as HttpRequestException)?.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
    }

    private static string Describe(Exception e, HttpRequestError error)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException s)
            {
                return s.SocketErrorCode.ToString();
            }
        }

        return error == HttpRequestError.Unknown ? e.GetType().Name : error.ToString();
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, ProviderEndpoint provider, string operation, ulong? dseq,
        IReadOnlyCollection<string> secrets, Activity? activity, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        activity?.SetTag("http.response.status_code", status);
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var (message, isAuthJson) = ErrorText(text);
        message = ManifestSecrets.Redact(message, secrets);
        var kind = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ProviderErrorKind.Unauthorized,
            // The gateway's auth middleware answers 400 with {"message": …} for a bad header, bad claims or mTLS+JWT together.
            HttpStatusCode.BadRequest when isAuthJson => ProviderErrorKind.Unauthorized,
            HttpStatusCode.NotFound => ProviderErrorKind.LeaseNotFound,
            HttpStatusCode.UnprocessableEntity => ProviderErrorKind.ManifestRejected,
            _ => ProviderErrorKind.ProviderError,
        };
        var detail = message.Length == 0 ? string.Empty : ": " + message;
        throw new ProviderException(kind, status,
            $"Provider {provider.Address} refused to {operation}{(dseq is { } d ? $" for dseq {d}" : string.Empty)} with HTTP {status}{detail}.");
    }

    /// <summary>The provider's error text: the "message" of a JSON error, else the first line of a plain one, bounded.</summary>
    private static (string Message, bool IsJson) ErrorText(string body)
    {
        var trimmed = body.Trim();
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var doc = JsonDocument.Parse(trimmed);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    return (Bound(m.GetString()!), true);
                }
            }
            catch (JsonException)
            {
                // Plain text after all.
            }
        }

        var line = trimmed.Split('\n', 2)[0].Trim();
        return (Bound(line), false);
    }

    private static string Bound(string text)
    {
        var clean = new StringBuilder(Math.Min(text.Length, MaxErrorText));
        foreach (var c in text.Take(MaxErrorText))
        {
            clean.Append(char.IsControl(c) ? ' ' : c);
        }

        return text.Length > MaxErrorText ? clean.Append('…').ToString() : clean.ToString();
    }

    private static class Log
    {
        public static readonly Action<ILogger, string, string, ulong, Exception?> Succeeded =
            LoggerMessage.Define<string, string, ulong>(LogLevel.Debug, new EventId(40, nameof(Succeeded)),
                "Provider call '{Operation}' to {Provider} for dseq {Dseq} succeeded");

        public static readonly Action<ILogger, string, string, ulong, ProviderErrorKind, int, Exception?> Failed =
            LoggerMessage.Define<string, string, ulong, ProviderErrorKind, int>(LogLevel.Warning, new EventId(41, nameof(Failed)),
                "Provider call '{Operation}' to {Provider} for dseq {Dseq} failed: {Kind} (HTTP {StatusCode})");
    }
}
