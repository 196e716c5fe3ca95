using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;

namespace Flock.Akash.ProviderApi;

/// <summary>GET /lease/…/logs: a WebSocket of JSON text frames {"name","message"} (provider gateway/rest/router.go wsLogWriter).</summary>
public sealed partial class ProviderClient
{
    // Close codes of the provider's log socket (router.go): 4000 internal error (also "no running pods"), 4001 lease not found, 4002 service unavailable.
    private const int CloseInternalError = 4000;
    private const int CloseLeaseNotFound = 4001;
    private const string NoRunningPods = "no running pods";

    /// <summary>
    /// The last <paramref name="tail"/> lines of every service of the lease (follow=false). A lease whose workload
    /// has no running pod yet gives an empty list (the provider closes with "no running pods"); an unknown lease
    /// gives LeaseNotFound.
    /// </summary>
    public async Task<IReadOnlyList<ProviderLogLine>> GetLogsAsync(ProviderEndpoint provider, LeaseId lease, ProviderAuth auth, int tail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(auth);
        ArgumentOutOfRangeException.ThrowIfNegative(tail);
        using var activity = Start("provider GET lease logs", provider, lease.Dseq, lease);
        return await SendAsync(provider, auth, activity, "read lease logs", lease.Dseq, [], async (channel, ct) =>
        {
            var builder = new UriBuilder(new Uri(provider.HostUri, $"/lease/{lease}/logs"))
            {
                Scheme = "wss",
                Query = string.Create(CultureInfo.InvariantCulture, $"follow=false&tail={tail}"),
            };
            using var socket = new ClientWebSocket();
            socket.Options.HttpVersion = HttpVersion.Version11;
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.SetRequestHeader("Host", MtlsHost(provider.HostUri));
            if (auth is JwtAuth jwt)
            {
                socket.Options.SetRequestHeader("Authorization", "Bearer " + _tokens.For(jwt, provider.Address));
            }

            try
            {
                await socket.ConnectAsync(builder.Uri, channel.Invoker, ct).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (socket.HttpStatusCode is not 0 and not HttpStatusCode.SwitchingProtocols)
            {
                throw StatusFailure((int)socket.HttpStatusCode, provider, lease, e);
            }

            activity?.SetTag("http.response.status_code", (int)HttpStatusCode.SwitchingProtocols);
            return await ReadLinesAsync(socket, provider, lease, ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ProviderLogLine>> ReadLinesAsync(ClientWebSocket socket, ProviderEndpoint provider, LeaseId lease, CancellationToken cancellationToken)
    {
        var lines = new List<ProviderLogLine>();
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (lines.Count < _options.MaxLogLines)
        {
            WebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (WebSocketException e) when (e.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
            {
                // The provider ends a non-follow stream by closing the connection without a close frame.
                return lines;
            }

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return Closed(socket, provider, lease, lines);
            }

            message.Write(buffer, 0, result.Count);
            if (message.Length > 1024 * 1024)
            {
                throw new ProviderException(ProviderErrorKind.BadResponse, null, $"Provider {provider.Address} sent a log frame over 1 MiB for lease {lease}.");
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            lines.Add(ParseLine(message.ToArray(), provider, lease));
            message.SetLength(0);
        }

        await CloseQuietlyAsync(socket).ConfigureAwait(false);
        return lines;
    }

    private static IReadOnlyList<ProviderLogLine> Closed(ClientWebSocket socket, ProviderEndpoint provider, LeaseId lease, List<ProviderLogLine> lines)
    {
        var code = (int?)socket.CloseStatus ?? (int)WebSocketCloseStatus.NormalClosure;
        var reason = socket.CloseStatusDescription ?? string.Empty;
        return code switch
        {
            (int)WebSocketCloseStatus.NormalClosure or (int)WebSocketCloseStatus.Empty => lines,
            CloseInternalError when reason == NoRunningPods => lines,
            CloseLeaseNotFound => throw new ProviderException(ProviderErrorKind.LeaseNotFound, null, $"Provider {provider.Address} has no lease {lease} for these credentials (logs socket closed with 4001)."),
            _ => throw new ProviderException(ProviderErrorKind.ProviderError, null, $"Provider {provider.Address} closed the logs socket of lease {lease} with code {code} {reason}".TrimEnd() + "."),
        };
    }

    private static ProviderLogLine ParseLine(byte[] frame, ProviderEndpoint provider, LeaseId lease)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return new ProviderLogLine(name.GetString()!, text.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Reported below.
        }

        throw new ProviderException(ProviderErrorKind.BadResponse, null, $"Provider {provider.Address} sent a log frame for lease {lease} that is not {{\"name\", \"message\"}} JSON.");
    }

    private static ProviderException StatusFailure(int status, ProviderEndpoint provider, LeaseId lease, Exception inner)
    {
        var kind = status switch
        {
            401 or 403 or 400 => ProviderErrorKind.Unauthorized,
            404 => ProviderErrorKind.LeaseNotFound,
            _ => ProviderErrorKind.ProviderError,
        };
        return new ProviderException(kind, status, $"Provider {provider.Address} refused the logs socket of lease {lease} with HTTP {status}.", inner);
    }

    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, quick.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The lines are read; a close that fails changes nothing.
        }
    }
}
