using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Flock.Akash.ProviderApi;

namespace Flock.AkashProvider.Tests;

/// <summary>
/// Requests a well-behaved client would never send (JWT and client certificate together, a tampered or expired
/// token), made with a bare HttpClient so the simulator's gateway rules can be tested directly.
/// </summary>
internal static class RawProvider
{
    public static async Task<(int Status, string Body)> SendAsync(ProviderEndpoint endpoint, HttpMethod method, string path, string? bearer = null, X509Certificate2? clientCertificate = null, string? body = null)
    {
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) =>
            cert is not null && endpoint.PinnedCertificatesDer.Any(p => p.AsSpan().SequenceEqual(cert.GetRawCertData()));
        if (clientCertificate is not null)
        {
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate;
        }

        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(method, new Uri(endpoint.HostUri, path));
        if (bearer is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", bearer.Contains(' ', StringComparison.Ordinal) ? bearer : "Bearer " + bearer);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The token with its payload replaced (signature kept): what a forger would send.</summary>
    public static string Tamper(string token, Func<string, string> payloadJson)
    {
        var parts = token.Split('.');
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(parts[1].Replace('-', '+').Replace('_', '/'))));
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes(payloadJson(json))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return $"{parts[0]}.{forged}.{parts[2]}";
    }

    private static string Pad(string s) => s + new string('=', (4 - (s.Length % 4)) % 4);
}
